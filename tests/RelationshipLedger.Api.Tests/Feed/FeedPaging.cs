using System.Text.Json;
using RelationshipLedger.Api.Tests.Support;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Api.Tests.Feed;

/// <summary>A page of <c>GET /events</c> as a client reads it.</summary>
public sealed record FeedPageAnswer(JsonElement[] Events, string Next)
{
    public IEnumerable<Guid> EventIds => Events.Select(e => e.GetProperty("eventId").GetGuid());
}

/// <summary>Reads the feed as a data team's client does: page after page, each from the last page's <c>next</c>.</summary>
public static class FeedPaging
{
    public static async Task<FeedPageAnswer> PageAsync(this HttpClient client, string query = "")
    {
        var page = await client.GetJsonAsync($"/events{query}");
        return new FeedPageAnswer(
            [.. page.GetProperty("events").EnumerateArray()],
            page.GetProperty("next").GetString()!
        );
    }

    /// <summary>
    /// The whole feed, read page by page once it has caught up with every committed event (of
    /// <paramref name="types"/>). Transaction ids are server-wide, so an open transaction of a test
    /// running in parallel on the same cluster holds the feed back for a moment: lag, never a gap.
    /// </summary>
    public static async Task<(IReadOnlyList<JsonElement> Events, int Pages, string Next)> ReadCaughtUpAsync(
        this HttpClient client,
        Npgsql.NpgsqlDataSource dataSource,
        int limit,
        string? types = null
    )
    {
        var committed = types is null
            ? (await RawAppend.LogOrderAsync(dataSource)).Count
            : (await Task.WhenAll(types.Split(',').Select(t => RawAppend.LogOrderAsync(dataSource, t.Trim())))).Sum(
                ids => ids.Count
            );
        return await Eventually.ReturnsAsync(
            () => client.ReadToTheEndAsync(limit, types: types),
            read => read.Events.Count >= committed,
            $"the feed to reach all {committed} committed events"
        );
    }

    /// <summary>Every page from <paramref name="after"/> until an empty one, and the cursor that empty page gave.</summary>
    public static async Task<(IReadOnlyList<JsonElement> Events, int Pages, string Next)> ReadToTheEndAsync(
        this HttpClient client,
        int limit,
        string after = "0-0",
        string? types = null
    )
    {
        var events = new List<JsonElement>();
        var pages = 0;
        while (true)
        {
            var filter = types is null ? "" : $"&types={Uri.EscapeDataString(types)}";
            var page = await client.PageAsync($"?after={after}&limit={limit}{filter}");
            pages++;
            Assert.True(page.Events.Length <= limit, $"a page of {page.Events.Length} events for limit {limit}");
            if (page.Events.Length == 0)
            {
                Assert.Equal(after, page.Next);
                return (events, pages, page.Next);
            }
            Assert.Equal(page.Events[^1].GetProperty("position").GetString(), page.Next);
            events.AddRange(page.Events);
            after = page.Next;
        }
    }
}
