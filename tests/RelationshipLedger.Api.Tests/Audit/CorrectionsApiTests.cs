using System.Net;
using RelationshipLedger.Api.Tests.Support;
using RelationshipLedger.Application.Security;

namespace RelationshipLedger.Api.Tests.Audit;

/// <summary>
/// <c>GET /customers/{id}/corrections</c>: a survey recorded today but back-dated into the scripted history
/// changes what the ledger says about the day after it, only for knowledge from its recording on.
/// </summary>
public sealed class CorrectionsApiTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    [Fact]
    public async Task A_late_back_dated_survey_is_listed_with_the_fields_it_changed_about_that_day()
    {
        var history = await ScriptedHistory.RecordAsync(api.Bootstrap, "corrected");
        var events = await api.Bootstrap.EventsAsync(history.CustomerId);
        var knownBefore = events[^1].GetProperty("recordedAt").GetDateTimeOffset();
        // Day 56: after s-4 (rated 4 on day 55); the late survey on day 56 rates 1.
        var late = await api.Bootstrap.CommandAsync(
            $"{history.Path}/surveys",
            new
            {
                surveyId = "s-late",
                rating = 1,
                recommend = 0,
                occurredAt = history.Day(56),
            }
        );
        var about = LedgerHttp.Query(history.Day(56.5));

        var report = await api.Bootstrap.GetJsonAsync(
            $"{history.Path}/corrections?asOf={about}&from={LedgerHttp.Query(knownBefore)}"
        );

        var fields = report
            .GetProperty("fields")
            .EnumerateArray()
            .ToDictionary(f => f.GetProperty("field").GetString()!);
        Assert.Equal("4", fields["satisfaction.latestRating"].GetProperty("before").GetString());
        Assert.Equal("1", fields["satisfaction.latestRating"].GetProperty("after").GetString());
        var cause = Assert.Single(fields["satisfaction.latestRating"].GetProperty("causedBy").EnumerateArray());
        Assert.Equal(late.Version, cause.GetProperty("version").GetInt64());
        Assert.Equal("SatisfactionSurveyed", cause.GetProperty("type").GetString());
        Assert.False(fields.ContainsKey("tier"));
        Assert.Equal(1, report.GetProperty("events").GetArrayLength());
    }

    [Theory]
    [InlineData("from=2025-01-01", "asOf")]
    [InlineData("asOf=2025-01-01", "from")]
    [InlineData("asOf=2025-01-01&from=2025-02-01&to=2025-01-15", "to")]
    [InlineData("asOf=someday&from=2025-02-01", "asOf")]
    public async Task Missing_or_inconsistent_instants_are_400_naming_the_field(string query, string field)
    {
        var history = await api.HistoryAsync();

        var response = await api.Bootstrap.GetAsync($"{history.Path}/corrections?{query}");

        await ProblemAssert.HasFieldErrorAsync(response, field);
    }

    [Fact]
    public async Task An_unknown_customer_is_404_and_a_reader_is_403()
    {
        var reader = await api.ClientWithRolesAsync("corrections-reader", Roles.Reader);
        var query = "corrections?asOf=2025-01-01&from=2025-01-01";

        var unknown = await api.Bootstrap.GetAsync($"/customers/nobody-here/{query}");
        var forbidden = await reader.GetAsync($"{(await api.HistoryAsync()).Path}/{query}");

        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound, "customer-not-found");
        await ProblemAssert.IsProblemAsync(forbidden, HttpStatusCode.Forbidden, "forbidden");
    }
}
