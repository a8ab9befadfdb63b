using System.Net;
using System.Text.Json;
using RelationshipLedger.Api.Tests.Support;

namespace RelationshipLedger.Api.Tests.Audit;

/// <summary>GET /customers/{id}/events: the raw stream with type, data, metadata, version, position, both times and the hash.</summary>
public sealed class RawEventsTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    private static readonly string[] ScriptedTypes =
    [
        "CustomerRegistered",
        "PurchaseRecorded",
        "ContactRecorded",
        "PurchaseRecorded",
        "SatisfactionSurveyed",
        "ComplaintFiled",
        "ComplaintResolved",
        "SatisfactionSurveyed",
        "SatisfactionSurveyed",
        "SatisfactionSurveyed",
        "TierChanged",
        "AccountOwnerAssigned",
        "CareTierAssigned",
    ];

    [Fact]
    public async Task The_raw_stream_has_every_event_in_version_order_with_its_times_and_metadata()
    {
        var history = await api.HistoryAsync();

        var events = await api.Bootstrap.EventsAsync(history.CustomerId);

        Assert.Equal(ScriptedTypes, events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(
            Enumerable.Range(1, 13).Select(v => (long)v),
            events.Select(e => e.GetProperty("version").GetInt64())
        );
        Assert.Equal(history.Day(20), events[3].GetProperty("occurredAt").GetDateTimeOffset());
        Assert.Equal("o-2", events[3].GetProperty("data").GetProperty("orderId").GetString());
        Assert.Equal(500m, events[3].GetProperty("data").GetProperty("amount").GetDecimal());
        var recorded = events.Select(e => e.GetProperty("recordedAt").GetDateTimeOffset()).ToArray();
        Assert.Equal(recorded.Order(), recorded);
        Assert.All(events, e => Assert.Equal("bootstrap", e.GetProperty("metadata").GetProperty("actor").GetString()));
        Assert.All(events, e => Assert.NotEqual(Guid.Empty, e.GetProperty("eventId").GetGuid()));
        Assert.Equal(13, events.Select(e => e.GetProperty("position").GetString()).Distinct().Count());
    }

    [Theory]
    [InlineData("?fromVersion=3&toVersion=5", 3, 5)]
    [InlineData("?fromVersion=12", 12, 13)]
    [InlineData("?toVersion=2", 1, 2)]
    [InlineData("?fromVersion=7&toVersion=7", 7, 7)]
    public async Task A_version_range_returns_just_those_events(string query, int from, int to)
    {
        var history = await api.HistoryAsync();

        var response = await api.Bootstrap.GetAsync($"{history.Path}/events{query}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = (await response.ReadJsonAsync()).EnumerateArray().ToArray();
        Assert.Equal(
            Enumerable.Range(from, to - from + 1).Select(v => (long)v),
            events.Select(e => e.GetProperty("version").GetInt64())
        );
        Assert.Equal("\"13\"", response.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task A_range_beyond_the_stream_is_empty()
    {
        var history = await api.HistoryAsync();

        var events = await api.Bootstrap.EventsAsync(history.CustomerId, "?fromVersion=14");

        Assert.Empty(events);
    }

    [Fact]
    public async Task Each_event_carries_the_hash_the_store_chained_it_with()
    {
        var history = await api.HistoryAsync();

        var events = await api.Bootstrap.EventsAsync(history.CustomerId);

        var stored = new Dictionary<long, string>();
        await using (
            var command = api.Database.DataSource.CreateCommand(
                "select version, encode(hash, 'hex') from ledger.events where stream_id = $1"
            )
        )
        {
            command.Parameters.AddWithValue(history.CustomerId);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                stored.Add(reader.GetInt64(0), reader.GetString(1));
        }
        Assert.Equal(13, stored.Count);
        foreach (var recorded in events)
        {
            var hash = recorded.GetProperty("hash").GetString()!;
            Assert.Matches("^[0-9a-f]{64}$", hash);
            Assert.Equal(stored[recorded.GetProperty("version").GetInt64()], hash);
        }
        Assert.Equal(13, events.Select(e => e.GetProperty("hash").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task The_metadata_keeps_the_reason_and_the_idempotency_key_of_the_request()
    {
        var id = LedgerHttp.NewCustomerId("metadata");
        await api.Bootstrap.RegisterAsync(id);
        var key = Guid.NewGuid().ToString();
        await api.Recorder.PostJsonAsync(
            $"/customers/{id}/owner",
            new { ownerId = "carol", reason = "Account review" },
            idempotencyKey: key
        );

        var metadata = (await api.Bootstrap.EventsAsync(id))[^1].GetProperty("metadata");

        Assert.Equal(LedgerApiFixture.RecorderName, metadata.GetProperty("actor").GetString());
        Assert.Equal("Account review", metadata.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.String, metadata.GetProperty("correlationId").ValueKind);
        Assert.Equal(key, metadata.GetProperty("headers").GetProperty("idempotencyKey").GetString());
    }
}
