using System.Text.Json;
using RelationshipLedger.Api.Tests.Support;

namespace RelationshipLedger.Api.Tests.Customers;

/// <summary>GET /customers/{id}/stages: each lifecycle transition with its instant and the event that caused it.</summary>
public sealed class StageHistoryTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    [Fact]
    public async Task The_stage_history_names_the_purchase_that_started_growth()
    {
        var history = await api.HistoryAsync();

        var stages = (await api.Bootstrap.GetJsonAsync($"{history.Path}/stages")).EnumerateArray().ToArray();

        Assert.Equal(2, stages.Length);
        AssertTransition(stages[0], null, "Cultivation", history.Start, 1);
        // The second purchase (v4, day 20): two purchases, revenue in the window, the first within W.
        AssertTransition(stages[1], "Cultivation", "Growth", history.Day(20), 4);
    }

    [Fact]
    public async Task Ending_and_reactivating_are_transitions_caused_by_those_events()
    {
        var id = LedgerHttp.NewCustomerId("end-reactivate");
        var start = TruncatedNow().AddDays(-10);
        await api.Bootstrap.RegisterAsync(id, start);
        await api.Bootstrap.CommandAsync(
            $"/customers/{id}/end",
            new { cause = "Competitor", occurredAt = start.AddDays(5) }
        );
        await api.Bootstrap.CommandAsync(
            $"/customers/{id}/reactivate",
            new { reason = "Came back", occurredAt = start.AddDays(8) }
        );

        var stages = (await api.Bootstrap.GetJsonAsync($"/customers/{id}/stages")).EnumerateArray().ToArray();

        Assert.Equal(3, stages.Length);
        AssertTransition(stages[0], null, "Cultivation", start, 1);
        AssertTransition(stages[1], "Cultivation", "Ended", start.AddDays(5), 2);
        AssertTransition(stages[2], "Ended", "Cultivation", start.AddDays(8), 3);
    }

    [Fact]
    public async Task A_decline_that_comes_only_from_time_passing_has_no_causing_event()
    {
        var id = LedgerHttp.NewCustomerId("decline");
        var now = TruncatedNow();
        await api.Bootstrap.RegisterAsync(id, now.AddDays(-410));
        await PurchaseAsync(id, "o-1", now.AddDays(-400));
        await PurchaseAsync(id, "o-2", now.AddDays(-390));

        var stages = (await api.Bootstrap.GetJsonAsync($"/customers/{id}/stages")).EnumerateArray().ToArray();
        var overview = await api.Bootstrap.GetJsonAsync($"/customers/{id}");

        Assert.Equal(3, stages.Length);
        AssertTransition(stages[0], null, "Cultivation", now.AddDays(-410), 1);
        AssertTransition(stages[1], "Cultivation", "Growth", now.AddDays(-390), 3);
        // 180 days after the second purchase nothing is left in the recent window, while the previous
        // window holds both purchases: recent 0 < 0.5 × previous 200 ⇒ Decline, caused by no event.
        AssertTransition(stages[2], "Growth", "Decline", now.AddDays(-390 + 180), null);
        Assert.Equal("Decline", overview.GetProperty("lifecycleStage").GetString());
        Assert.Equal(now.AddDays(-210), overview.GetProperty("stageSince").GetDateTimeOffset());
    }

    private Task<CommandAnswer> PurchaseAsync(string id, string orderId, DateTimeOffset at) =>
        api.Bootstrap.CommandAsync(
            $"/customers/{id}/purchases",
            new
            {
                orderId,
                amount = 100m,
                currency = "EUR",
                occurredAt = at,
            }
        );

    private static DateTimeOffset TruncatedNow()
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    private static void AssertTransition(
        JsonElement transition,
        string? from,
        string to,
        DateTimeOffset at,
        long? cause
    )
    {
        var actualFrom = transition.GetProperty("from");
        Assert.Equal(from, actualFrom.ValueKind == JsonValueKind.Null ? null : actualFrom.GetString());
        Assert.Equal(to, transition.GetProperty("to").GetString());
        Assert.Equal(at, transition.GetProperty("at").GetDateTimeOffset());
        var causedBy = transition.GetProperty("causedByVersion");
        Assert.Equal(cause, causedBy.ValueKind == JsonValueKind.Null ? null : causedBy.GetInt64());
    }
}
