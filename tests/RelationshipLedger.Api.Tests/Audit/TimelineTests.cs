using System.Globalization;
using System.Text.Json;
using RelationshipLedger.Api.Tests.Support;

namespace RelationshipLedger.Api.Tests.Audit;

/// <summary>GET /customers/{id}/timeline: for each event, the event, the overview after it and the fields it changed.</summary>
public sealed class TimelineTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    [Fact]
    public async Task The_timeline_has_one_step_per_event_each_with_the_overview_after_it()
    {
        var history = await api.HistoryAsync();

        var steps = (await api.Bootstrap.GetJsonAsync($"{history.Path}/timeline")).EnumerateArray().ToArray();

        Assert.Equal(13, steps.Length);
        for (var version = 1; version <= 13; version++)
        {
            var step = steps[version - 1];
            Assert.Equal(version, step.GetProperty("event").GetProperty("version").GetInt64());
            Assert.Equal(version, step.GetProperty("after").GetProperty("version").GetInt64());
        }
        Assert.Equal("TierChanged", steps[10].GetProperty("event").GetProperty("type").GetString());
        Assert.Equal("PreferredSupplier", steps[10].GetProperty("after").GetProperty("tier").GetString());
        Assert.Equal("alice", steps[10].GetProperty("after").GetProperty("owner").GetString());
    }

    [Fact]
    public async Task Each_step_lists_exactly_the_fields_its_event_changed()
    {
        var history = await api.HistoryAsync();

        var steps = (await api.Bootstrap.GetJsonAsync($"{history.Path}/timeline")).EnumerateArray().ToArray();

        var registration = Changes(steps[0]);
        Assert.Equal((null, "Harbour Logistics"), registration["name"]);
        Assert.Equal((null, "Transactional"), registration["tier"]);
        Assert.Equal((null, "alice"), registration["owner"]);
        // The first purchase changes nothing the overview shows: one purchase is still cultivation.
        Assert.Empty(Changes(steps[1]));
        Assert.Equal(("Basic", "Accountable"), Single(steps[2], "engagementType"));
        Assert.Equal(("Cultivation", "Growth"), Only(steps[3], "lifecycleStage", "stageSince")["lifecycleStage"]);
        Assert.Equal(
            history.Day(20).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
            Changes(steps[3])["stageSince"].After
        );
        Assert.Equal(("0", "1"), Single(steps[5], "satisfaction.openComplaints"));
        Assert.Equal(("1", "0"), Single(steps[6], "satisfaction.openComplaints"));
        Assert.Equal(("Transactional", "PreferredSupplier"), Only(steps[10], "tier", "tierSince")["tier"]);
        Assert.Equal(("alice", "bob"), Single(steps[11], "owner"));
        Assert.Equal((null, "2"), Single(steps[12], "careTier"));
        var survey = Changes(steps[4]);
        Assert.Equal((null, "5"), survey["satisfaction.latestRating"]);
        Assert.Equal((null, "100"), survey["satisfaction.csat"]);
    }

    [Fact]
    public async Task Known_at_limits_the_timeline_to_what_had_been_recorded_by_then()
    {
        var history = await api.HistoryAsync();
        var events = await api.Bootstrap.EventsAsync(history.CustomerId);
        var sixthRecorded = events[5].GetProperty("recordedAt").GetDateTimeOffset();

        var steps = (
            await api.Bootstrap.GetJsonAsync($"{history.Path}/timeline?knownAt={LedgerHttp.Query(sixthRecorded)}")
        )
            .EnumerateArray()
            .ToArray();

        Assert.Equal(6, steps.Length);
        Assert.Equal("ComplaintFiled", steps[^1].GetProperty("event").GetProperty("type").GetString());
    }

    private static Dictionary<string, (string? Before, string? After)> Only(JsonElement step, params string[] fields)
    {
        var changes = Changes(step);
        Assert.Equal(fields.Order(), changes.Keys.Order());
        return changes;
    }

    private static (string?, string?) Single(JsonElement step, string field)
    {
        var changes = Changes(step);
        Assert.True(changes.Count == 1, $"Expected only {field} to change, got {string.Join(", ", changes.Keys)}");
        return changes[field];
    }

    private static Dictionary<string, (string? Before, string? After)> Changes(JsonElement step) =>
        step.GetProperty("changes")
            .EnumerateArray()
            .ToDictionary(
                c => c.GetProperty("field").GetString()!,
                c => (Text(c.GetProperty("before")), Text(c.GetProperty("after")))
            );

    private static string? Text(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetString();
}
