using System.Net;
using RelationshipLedger.Api.Tests.Support;
using RelationshipLedger.Application.Security;
using RelationshipLedger.EventStore;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Api.Tests.Feed;

/// <summary>GET /events: the global log in pages, each continuing from the last one's <c>next</c>.</summary>
public sealed class FeedPagesTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    [Fact]
    public async Task Pages_concatenate_to_every_event_once_in_global_order()
    {
        await api.HistoryAsync();
        await api.Bootstrap.RegisterAsync(LedgerHttp.NewCustomerId("pages"));

        var (events, pages, _) = await api.Bootstrap.ReadCaughtUpAsync(api.Database.DataSource, limit: 3);

        Assert.Equal(await RawAppend.LogOrderAsync(api.Database.DataSource), events.Select(EventId));
        Assert.True(pages > 5, $"only {pages} pages");
        var positions = events.Select(e => GlobalPosition.Parse(e.GetProperty("position").GetString()!)).ToArray();
        Assert.All(positions.Zip(positions.Skip(1)), pair => Assert.True(pair.First < pair.Second));
    }

    [Fact]
    public async Task A_feed_event_is_the_event_of_the_raw_stream()
    {
        var history = await api.HistoryAsync();

        var (events, _, _) = await api.Bootstrap.ReadCaughtUpAsync(api.Database.DataSource, limit: 1000);
        var stream = await api.Bootstrap.EventsAsync(history.CustomerId);

        var fromFeed = events.Where(e => e.GetProperty("customerId").GetString() == history.CustomerId).ToArray();
        Assert.Equal(stream.Select(e => e.GetRawText()), fromFeed.Select(e => e.GetRawText()));
        var registered = fromFeed[0];
        Assert.Equal("CustomerRegistered", registered.GetProperty("type").GetString());
        Assert.Equal(1, registered.GetProperty("version").GetInt64());
        Assert.Equal("Harbour Logistics", registered.GetProperty("data").GetProperty("name").GetString());
        Assert.Equal("bootstrap", registered.GetProperty("metadata").GetProperty("actor").GetString());
        Assert.Equal(history.Start, registered.GetProperty("occurredAt").GetDateTimeOffset());
        Assert.True(registered.GetProperty("recordedAt").GetDateTimeOffset() > history.Start);
        Assert.Matches("^[0-9a-f]{64}$", registered.GetProperty("hash").GetString()!);
        Assert.Matches("^[0-9]+-[0-9]+$", registered.GetProperty("position").GetString()!);
    }

    [Fact]
    public async Task Without_a_limit_a_page_holds_100_events()
    {
        await RawAppend.CommitManyAsync(api.Database.DataSource, LedgerHttp.NewCustomerId("hundred"), 120);

        var page = await Eventually.ReturnsAsync(
            () => api.Bootstrap.PageAsync(),
            p => p.Events.Length >= 100,
            "100 events to be readable"
        );
        var biggest = await api.Bootstrap.PageAsync("?limit=1000");

        // Gap-free: whatever a read returns is the start of the log as every later read returns it.
        Assert.Equal(100, page.Events.Length);
        Assert.True(biggest.Events.Length >= 120);
        Assert.Equal(biggest.EventIds.Take(100), page.EventIds);
    }

    [Fact]
    public async Task A_page_after_the_last_event_is_empty_and_gives_back_its_cursor()
    {
        await api.Bootstrap.RegisterAsync(LedgerHttp.NewCustomerId("last"));
        var (_, _, end) = await api.Bootstrap.ReadCaughtUpAsync(api.Database.DataSource, limit: 1000);

        var page = await api.Bootstrap.PageAsync($"?after={end}");
        var far = await api.Bootstrap.PageAsync("?after=18446744073709551615-9223372036854775807");

        Assert.Empty(page.Events);
        Assert.Equal(end, page.Next);
        Assert.Empty(far.Events);
        Assert.Equal("18446744073709551615-9223372036854775807", far.Next);
    }

    [Fact]
    public async Task Types_keep_only_events_of_those_types_in_global_order()
    {
        await api.HistoryAsync();
        await api.Bootstrap.RegisterAsync(LedgerHttp.NewCustomerId("types"));

        var (events, _, _) = await api.Bootstrap.ReadCaughtUpAsync(
            api.Database.DataSource,
            limit: 2,
            types: "PurchaseRecorded, TierChanged"
        );

        var purchases = await RawAppend.LogOrderAsync(api.Database.DataSource, "PurchaseRecorded");
        var tierChanges = await RawAppend.LogOrderAsync(api.Database.DataSource, "TierChanged");
        var all = await RawAppend.LogOrderAsync(api.Database.DataSource);
        Assert.Equal(all.Where(id => purchases.Contains(id) || tierChanges.Contains(id)), events.Select(EventId));
        Assert.True(purchases.Count >= 2 && tierChanges.Count >= 1);
    }

    [Theory]
    [InlineData("?after=yesterday", "after")]
    [InlineData("?after=12", "after")]
    [InlineData("?after=1-2-3", "after")]
    [InlineData("?after=-1-2", "after")]
    [InlineData("?after=18446744073709551616-1", "after")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=1001", "limit")]
    [InlineData("?limit=-5", "limit")]
    [InlineData("?limit=ten", "limit")]
    [InlineData("?types=Nope", "types")]
    [InlineData("?types=PurchaseRecorded,purchaserecorded", "types")]
    public async Task A_bad_cursor_limit_or_type_is_a_400_naming_the_field(string query, string field)
    {
        var response = await api.Bootstrap.GetAsync($"/events{query}");

        var problem = await ProblemAssert.HasFieldErrorAsync(response, field);
        Assert.Equal(field, Assert.Single(problem.GetProperty("errors").EnumerateObject()).Name);
    }

    [Fact]
    public async Task An_unknown_type_is_named_in_the_error_with_the_known_ones()
    {
        var response = await api.Bootstrap.GetAsync("/events?types=TierChanged,Purchased");

        var problem = await ProblemAssert.HasFieldErrorAsync(response, "types");
        var message = problem.GetProperty("errors").GetProperty("types")[0].GetString()!;
        Assert.Contains("Purchased", message, StringComparison.Ordinal);
        Assert.Contains("PurchaseRecorded", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/events")]
    [InlineData("/events/stream")]
    public async Task The_feed_needs_an_auditor_key(string route)
    {
        using var anonymous = api.Anonymous();
        using var reader = await api.ClientWithRolesAsync($"dashboard{route}", Roles.Reader);
        using var auditor = await api.ClientWithRolesAsync($"data-team{route}", Roles.Auditor);

        await ProblemAssert.IsProblemAsync(
            await anonymous.GetAsync(route),
            HttpStatusCode.Unauthorized,
            "unauthenticated"
        );
        await ProblemAssert.IsProblemAsync(await reader.GetAsync(route), HttpStatusCode.Forbidden, "forbidden");
        await ProblemAssert.IsProblemAsync(await api.Recorder.GetAsync(route), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("/events")).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_lists_the_feed_routes()
    {
        using var anonymous = api.Anonymous();

        var paths = (await anonymous.GetJsonAsync("/openapi/v1.json")).GetProperty("paths");

        Assert.True(paths.GetProperty("/events").TryGetProperty("get", out _));
        var stream = paths.GetProperty("/events/stream").GetProperty("get");
        Assert.True(
            stream
                .GetProperty("responses")
                .GetProperty("200")
                .GetProperty("content")
                .TryGetProperty("text/event-stream", out _)
        );
    }

    private static Guid EventId(System.Text.Json.JsonElement e) => e.GetProperty("eventId").GetGuid();
}
