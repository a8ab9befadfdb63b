using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RelationshipLedger.Api.Tests.Support;
using RelationshipLedger.Application.ChurnWatch;
using RelationshipLedger.Application.Security;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Api.Tests.ChurnWatch;

/// <summary>
/// GET /watchlist/churn over HTTP: the job (run here as the API's service) flags, the API's daemon
/// keeps the list, a reader pages through it; bad parameters are 400s with a code.
/// </summary>
public sealed class WatchListApiTests(ChurnWatchWithoutScheduleFixture api)
    : IClassFixture<ChurnWatchWithoutScheduleFixture>
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static Flagged? _flagged;

    [Fact]
    public async Task The_watch_list_shows_each_flagged_customer_with_its_signals_when_flagged_and_the_last_contact_since()
    {
        var flagged = await FlagOnceAsync();
        var reader = await api.ClientWithRolesAsync("watch-reader", Roles.Reader);

        var page = await reader.GetJsonAsync("/watchlist/churn");

        var customers = page.GetProperty("customers").EnumerateArray().ToArray();
        Assert.Equal([flagged.Cycle, flagged.Unhappy], customers.Select(c => c.GetProperty("customerId").GetString()));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
        var cycle = customers[0];
        Assert.Equal(
            ["PurchaseCycleLengthening"],
            cycle.GetProperty("signals").EnumerateArray().Select(s => s.GetString())
        );
        Assert.Equal(flagged.At, cycle.GetProperty("flaggedAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, cycle.GetProperty("lastContactSince").ValueKind);
        var unhappy = customers[1];
        Assert.Equal(["LowSatisfaction"], unhappy.GetProperty("signals").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal($"Customer {flagged.Unhappy}", unhappy.GetProperty("name").GetString());
        Assert.Equal("alice", unhappy.GetProperty("owner").GetString());
        var contact = unhappy.GetProperty("lastContactSince");
        Assert.Equal(flagged.ContactAt, contact.GetProperty("at").GetDateTimeOffset());
        Assert.Equal("Visit", contact.GetProperty("channel").GetString());
        Assert.Equal("Company", contact.GetProperty("initiator").GetString());
        Assert.Equal("Care", contact.GetProperty("purpose").GetString());
    }

    [Fact]
    public async Task Pages_follow_the_cursor_to_the_end_of_the_list()
    {
        var flagged = await FlagOnceAsync();

        var first = await api.Admin.GetJsonAsync("/watchlist/churn?limit=1");
        var cursor = first.GetProperty("nextCursor").GetString()!;
        var second = await api.Admin.GetJsonAsync($"/watchlist/churn?limit=1&cursor={Uri.EscapeDataString(cursor)}");
        var third = second.GetProperty("nextCursor").GetString() is { } next
            ? await api.Admin.GetJsonAsync($"/watchlist/churn?limit=1&cursor={Uri.EscapeDataString(next)}")
            : (JsonElement?)null;

        Assert.Equal([flagged.Cycle], Ids(first));
        Assert.Equal([flagged.Unhappy], Ids(second));
        // The page that reaches the last row either says so, or the next page is empty and says so.
        if (third is { } last)
        {
            Assert.Empty(Ids(last));
            Assert.Equal(JsonValueKind.Null, last.GetProperty("nextCursor").ValueKind);
        }
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=MTIzOm5vIHdheQ", "cursor")]
    public async Task A_bad_parameter_is_a_400_naming_it(string query, string field)
    {
        var response = await api.Admin.GetAsync($"/watchlist/churn?{query}");

        await ProblemAssert.HasFieldErrorAsync(response, field);
    }

    [Fact]
    public async Task The_watch_list_needs_the_reader_role()
    {
        var recorder = await api.ClientWithRolesAsync("watch-recorder", Roles.Recorder);

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().GetAsync("/watchlist/churn")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await recorder.GetAsync("/watchlist/churn")).StatusCode);
    }

    private static IEnumerable<string?> Ids(JsonElement page) =>
        page.GetProperty("customers").EnumerateArray().Select(c => c.GetProperty("customerId").GetString());

    /// <summary>
    /// Once for the class: a lengthening cycle ("a-cycle-…"), an unhappy customer ("b-unhappy-…") and a
    /// healthy one; the job as of one instant flags the first two; a contact with the unhappy one after
    /// that; then the list has caught up.
    /// </summary>
    private async Task<Flagged> FlagOnceAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (_flagged is not null)
                return _flagged;
            var cycle = LedgerHttp.NewCustomerId("a-cycle");
            var unhappy = LedgerHttp.NewCustomerId("b-unhappy");
            await api.LengtheningCycleAsync(cycle);
            await api.UnhappyCustomerAsync(unhappy);
            await api.HealthyCustomerAsync(LedgerHttp.NewCustomerId("c-healthy"));
            var at = DateTimeOffset.UtcNow;
            at = new DateTimeOffset(at.Ticks - (at.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
            var run = await api.Factory.Services.GetRequiredService<ChurnWatchJob>().RunAsync(at);
            Assert.Equal([cycle, unhappy], run!.Flagged.Select(f => f.CustomerId));
            var contactAt = at.AddSeconds(1);
            await api.Admin.CommandAsync(
                $"/customers/{unhappy}/contacts",
                new
                {
                    channel = "Visit",
                    initiator = "Company",
                    purpose = "Care",
                    occurredAt = contactAt,
                }
            );
            await Eventually.IsTrueAsync(
                async () =>
                    (await api.Admin.GetJsonAsync("/watchlist/churn")).GetProperty("customers") is var c
                    && c.GetArrayLength() == 2
                    && c[1].GetProperty("lastContactSince").ValueKind == JsonValueKind.Object,
                "the watch list to show both flags and the contact"
            );
            return _flagged = new Flagged(cycle, unhappy, at, contactAt);
        }
        finally
        {
            Once.Release();
        }
    }

    private sealed record Flagged(string Cycle, string Unhappy, DateTimeOffset At, DateTimeOffset ContactAt);
}
