using System.Globalization;
using System.Net;
using System.Text.Json;
using RelationshipLedger.Api.Tests.Support;

namespace RelationshipLedger.Api.Tests.Customers;

/// <summary>The overview time-travelled: by business time (asOf), by system time (knownAt) and by version.</summary>
public sealed class TimeTravelTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    [Fact]
    public async Task As_of_a_date_the_overview_counts_everything_that_happened_on_or_before_that_day()
    {
        var history = await api.HistoryAsync();
        var day = history.Day(45).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var overview = await api.Bootstrap.GetJsonAsync($"{history.Path}?asOf={day}");

        // Days 0–40 happened by then: registration to the second survey (v1–v8).
        Assert.Equal(8, overview.GetProperty("version").GetInt64());
        Assert.Equal("Transactional", overview.GetProperty("tier").GetString());
        Assert.Equal("alice", overview.GetProperty("owner").GetString());
        Assert.Equal("Growth", overview.GetProperty("lifecycleStage").GetString());
        Assert.Equal(JsonValueKind.Null, overview.GetProperty("careTier").ValueKind);
        var satisfaction = overview.GetProperty("satisfaction");
        Assert.Equal(2, satisfaction.GetProperty("latestRating").GetInt32());
        Assert.Equal(50m, satisfaction.GetProperty("csat").GetDecimal());
        Assert.Equal(0m, satisfaction.GetProperty("nps").GetDecimal());
        Assert.Equal("Worsening", satisfaction.GetProperty("trend").GetString());
    }

    [Fact]
    public async Task As_of_an_instant_the_overview_counts_what_had_happened_by_then()
    {
        var history = await api.HistoryAsync();

        var overview = await api.Bootstrap.GetJsonAsync($"{history.Path}?asOf={LedgerHttp.Query(history.Day(65))}");

        Assert.Equal(11, overview.GetProperty("version").GetInt64());
        Assert.Equal("PreferredSupplier", overview.GetProperty("tier").GetString());
        Assert.Equal(history.Day(60), overview.GetProperty("tierSince").GetDateTimeOffset());
        Assert.Equal("alice", overview.GetProperty("owner").GetString());
        Assert.Equal(JsonValueKind.Null, overview.GetProperty("careTier").ValueKind);
        Assert.Equal(history.Day(65), overview.GetProperty("asOf").GetDateTimeOffset());
    }

    [Fact]
    public async Task As_of_an_instant_in_another_offset_means_the_same_instant()
    {
        var history = await api.HistoryAsync();
        var justBeforeTheTierChange = history.Day(60).AddSeconds(-1).ToOffset(TimeSpan.FromHours(8));

        var overview = await api.Bootstrap.GetJsonAsync(
            $"{history.Path}?asOf={LedgerHttp.Query(justBeforeTheTierChange)}"
        );

        Assert.Equal(10, overview.GetProperty("version").GetInt64());
        Assert.Equal("Transactional", overview.GetProperty("tier").GetString());
    }

    [Fact]
    public async Task Known_at_the_instant_an_event_was_recorded_the_overview_sees_it_and_nothing_recorded_later()
    {
        var history = await api.HistoryAsync();
        var events = await api.Bootstrap.EventsAsync(history.CustomerId);
        var tierRecorded = events[10].GetProperty("recordedAt").GetDateTimeOffset();
        var ownerRecorded = events[11].GetProperty("recordedAt").GetDateTimeOffset();
        Assert.True(tierRecorded < ownerRecorded);

        var beforeOwnerChange = await api.Bootstrap.GetJsonAsync(
            $"{history.Path}?knownAt={LedgerHttp.Query(tierRecorded)}"
        );
        var afterOwnerChange = await api.Bootstrap.GetJsonAsync(
            $"{history.Path}?knownAt={LedgerHttp.Query(ownerRecorded)}"
        );

        Assert.Equal(11, beforeOwnerChange.GetProperty("version").GetInt64());
        Assert.Equal("PreferredSupplier", beforeOwnerChange.GetProperty("tier").GetString());
        Assert.Equal("alice", beforeOwnerChange.GetProperty("owner").GetString());
        Assert.Equal(12, afterOwnerChange.GetProperty("version").GetInt64());
        Assert.Equal("bob", afterOwnerChange.GetProperty("owner").GetString());
    }

    [Fact]
    public async Task As_of_and_known_at_together_answer_what_was_known_then_about_an_earlier_moment()
    {
        var history = await api.HistoryAsync();
        var events = await api.Bootstrap.EventsAsync(history.CustomerId);
        var firstSurveyRecorded = events[4].GetProperty("recordedAt").GetDateTimeOffset();

        var overview = await api.Bootstrap.GetJsonAsync(
            $"{history.Path}?asOf={LedgerHttp.Query(history.Day(45))}&knownAt={LedgerHttp.Query(firstSurveyRecorded)}"
        );

        // By business time the second survey (day 40) had happened, but it was not yet recorded.
        Assert.Equal(5, overview.GetProperty("version").GetInt64());
        Assert.Equal(5, overview.GetProperty("satisfaction").GetProperty("latestRating").GetInt32());
        Assert.Equal(100m, overview.GetProperty("satisfaction").GetProperty("csat").GetDecimal());
    }

    [Fact]
    public async Task At_a_version_the_overview_is_the_state_after_that_event_and_its_etag_is_that_version()
    {
        var history = await api.HistoryAsync();

        var response = await api.Bootstrap.GetAsync($"{history.Path}?version=4");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"4\"", response.Headers.ETag?.Tag);
        var overview = await response.ReadJsonAsync();
        Assert.Equal(4, overview.GetProperty("version").GetInt64());
        Assert.Equal("Transactional", overview.GetProperty("tier").GetString());
        Assert.Equal("alice", overview.GetProperty("owner").GetString());
        Assert.Equal("Growth", overview.GetProperty("lifecycleStage").GetString());
        Assert.Equal(history.Day(20), overview.GetProperty("stageSince").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, overview.GetProperty("satisfaction").GetProperty("latestRating").ValueKind);
    }

    [Fact]
    public async Task Travelling_does_not_change_the_present()
    {
        var history = await api.HistoryAsync();
        await api.Bootstrap.GetJsonAsync($"{history.Path}?version=2");

        var response = await api.Bootstrap.GetAsync(history.Path);

        Assert.Equal("\"13\"", response.Headers.ETag?.Tag);
        Assert.Equal("bob", (await response.ReadJsonAsync()).GetProperty("owner").GetString());
    }
}
