using RelationshipLedger.Api.Tests.Support;

namespace RelationshipLedger.Api.Tests.Feed;

/// <summary>GET /events/stream: the backlog after a cursor, then each event as it commits, as Server-Sent Events.</summary>
public sealed class FeedStreamTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    [Fact]
    public async Task The_stream_sends_the_backlog_then_each_new_event_once_in_order()
    {
        await api.HistoryAsync();
        var backlog = await RawAppend.LogOrderAsync(api.Database.DataSource);
        await using var stream = await EventStreamClient.OpenAsync(api.Bootstrap, "/events/stream");

        var sent = await stream.TakeAsync(backlog.Count);
        var id = LedgerHttp.NewCustomerId("live");
        var appended = new List<Guid>((await api.Recorder.RegisterAsync(id)).EventIds);
        appended.AddRange(
            (
                await api.Recorder.CommandAsync(
                    $"/customers/{id}/owner",
                    new { ownerId = "dana", reason = "Territory change" }
                )
            ).EventIds
        );
        var live = await stream.TakeAsync(appended.Count);

        Assert.Equal(backlog, sent.Select(m => m.EventId));
        var page = await api.Bootstrap.PageAsync("?limit=5");
        Assert.Equal(page.Events.Select(e => e.GetRawText()), sent.Take(5).Select(m => m.Data));
        Assert.Equal(appended, live.Select(m => m.EventId));
        Assert.All(
            sent.Concat(live),
            m =>
            {
                Assert.Equal(m.Json.GetProperty("position").GetString(), m.Id);
                Assert.Equal(m.Json.GetProperty("type").GetString(), m.Event);
            }
        );
        Assert.Equal(["CustomerRegistered", "AccountOwnerAssigned"], live.Select(m => m.Event));
        Assert.Equal(id, live[0].Json.GetProperty("customerId").GetString());
    }

    [Fact]
    public async Task A_reconnect_with_last_event_id_resumes_after_that_event()
    {
        await api.HistoryAsync();
        var log = await RawAppend.LogOrderAsync(api.Database.DataSource);
        string fifth;
        await using (var first = await EventStreamClient.OpenAsync(api.Bootstrap, "/events/stream"))
            fifth = (await first.TakeAsync(5))[^1].Id!;

        // An EventSource repeats the URL it first used and says in Last-Event-ID how far it got.
        await using var again = await EventStreamClient.OpenAsync(api.Bootstrap, "/events/stream?after=0-0", fifth);
        var rest = await again.TakeAsync(log.Count - 5);

        Assert.Equal(log.Skip(5), rest.Select(m => m.EventId));
    }

    [Fact]
    public async Task Types_keep_only_events_of_those_types_backlog_and_live()
    {
        await api.HistoryAsync();
        var purchases = await RawAppend.LogOrderAsync(api.Database.DataSource, "PurchaseRecorded");
        await using var stream = await EventStreamClient.OpenAsync(
            api.Bootstrap,
            "/events/stream?types=PurchaseRecorded"
        );

        var backlog = await stream.TakeAsync(purchases.Count);
        var id = LedgerHttp.NewCustomerId("types-live");
        await api.Recorder.RegisterAsync(id);
        var purchase = await api.Recorder.CommandAsync(
            $"/customers/{id}/purchases",
            new
            {
                orderId = "o-9",
                amount = 10m,
                currency = "EUR",
            }
        );
        var live = await stream.TakeAsync(1);

        Assert.Equal(purchases, backlog.Select(m => m.EventId));
        Assert.Equal(purchase.EventIds, live.Select(m => m.EventId));
        Assert.All(backlog.Concat(live), m => Assert.Equal("PurchaseRecorded", m.Event));
    }

    [Theory]
    [InlineData("?after=not-a-cursor", null, "after")]
    [InlineData("", "42", "Last-Event-ID")]
    [InlineData("?types=PurchaseRecorded,Refunded", null, "types")]
    public async Task A_bad_cursor_last_event_id_or_type_is_a_400_before_any_event(
        string query,
        string? lastEventId,
        string field
    )
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/events/stream{query}");
        if (lastEventId is not null)
            request.Headers.Add("Last-Event-ID", lastEventId);

        var response = await api.Bootstrap.SendAsync(request);

        await ProblemAssert.HasFieldErrorAsync(response, field);
    }
}
