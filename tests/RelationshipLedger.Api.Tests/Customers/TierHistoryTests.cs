using System.Text.Json;
using RelationshipLedger.Api.Tests.Support;

namespace RelationshipLedger.Api.Tests.Customers;

/// <summary>GET /customers/{id}/tiers: every period at a tier, why and who approved it, and the days spent there.</summary>
public sealed class TierHistoryTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    [Fact]
    public async Task The_tier_history_lists_each_period_with_its_reason_approver_and_days()
    {
        var history = await api.HistoryAsync();

        var tiers = await api.Bootstrap.GetJsonAsync($"{history.Path}/tiers?asOf={LedgerHttp.Query(history.Day(90))}");

        Assert.Equal(2, tiers.GetArrayLength());
        var first = tiers[0];
        Assert.Equal("Transactional", first.GetProperty("tier").GetString());
        Assert.Equal(history.Start, first.GetProperty("from").GetDateTimeOffset());
        Assert.Equal(history.Day(60), first.GetProperty("to").GetDateTimeOffset());
        Assert.Equal(60, first.GetProperty("days").GetDouble());
        var second = tiers[1];
        Assert.Equal("PreferredSupplier", second.GetProperty("tier").GetString());
        Assert.Equal(history.Day(60), second.GetProperty("from").GetDateTimeOffset());
        Assert.True(!second.TryGetProperty("to", out var to) || to.ValueKind == JsonValueKind.Null);
        Assert.Equal(ScriptedHistory.TierReason, second.GetProperty("reason").GetString());
        Assert.Equal(ScriptedHistory.TierApprovedBy, second.GetProperty("approvedBy").GetString());
        Assert.Equal(30, second.GetProperty("days").GetDouble());
    }

    [Fact]
    public async Task Before_any_tier_change_there_is_one_open_transactional_period()
    {
        var history = await api.HistoryAsync();

        var tiers = await api.Bootstrap.GetJsonAsync(
            $"{history.Path}/tiers?asOf={LedgerHttp.Query(history.Day(30.5))}"
        );

        var only = Assert.Single(tiers.EnumerateArray());
        Assert.Equal("Transactional", only.GetProperty("tier").GetString());
        Assert.Equal(30.5, only.GetProperty("days").GetDouble());
    }

    [Fact]
    public async Task A_tier_change_recorded_with_a_later_business_time_closes_the_period_at_that_time()
    {
        var id = LedgerHttp.NewCustomerId("tiers");
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await api.Bootstrap.RegisterAsync(id, start);
        foreach (var (to, day) in new[] { ("PreferredSupplier", 10), ("Partner", 25), ("PreferredSupplier", 40) })
        {
            await api.Bootstrap.CommandAsync(
                $"/customers/{id}/tier",
                new
                {
                    to,
                    reason = $"Review on day {day}",
                    approvedBy = "board",
                    occurredAt = start.AddDays(day),
                }
            );
        }

        var tiers = await api.Bootstrap.GetJsonAsync(
            $"/customers/{id}/tiers?asOf={LedgerHttp.Query(start.AddDays(50))}"
        );

        Assert.Equal(
            ["Transactional", "PreferredSupplier", "Partner", "PreferredSupplier"],
            tiers.EnumerateArray().Select(t => t.GetProperty("tier").GetString())
        );
        Assert.Equal([10.0, 15.0, 15.0, 10.0], tiers.EnumerateArray().Select(t => t.GetProperty("days").GetDouble()));
    }
}
