using System.Text.Json;
using RelationshipLedger.Api.Tests.Support;

namespace RelationshipLedger.Api.Tests.Customers;

/// <summary>GET /customers/{id}/satisfaction: every survey, complaint and resolution, with CSAT, NPS, trend and time to resolve.</summary>
public sealed class SatisfactionHistoryTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    [Fact]
    public async Task The_satisfaction_history_lists_every_point_in_business_time_order_with_the_headline_figures()
    {
        var history = await api.HistoryAsync();

        var satisfaction = await api.Bootstrap.GetJsonAsync($"{history.Path}/satisfaction");

        var points = satisfaction.GetProperty("points").EnumerateArray().ToArray();
        Assert.Equal(
            [
                (history.Day(30), "Survey", 5, 10, null),
                (history.Day(33), "Complaint", null, null, "c-1"),
                (history.Day(35), "Resolution", null, null, "c-1"),
                (history.Day(40), "Survey", 2, 6, null),
                (history.Day(50), "Survey", 4, 9, null),
                (history.Day(55), "Survey", 4, 8, (string?)null),
            ],
            points.Select(Point)
        );
        Assert.Equal(75m, satisfaction.GetProperty("csat").GetDecimal());
        Assert.Equal(25m, satisfaction.GetProperty("nps").GetDecimal());
        Assert.Equal("Improving", satisfaction.GetProperty("trend").GetString());
        // One complaint, filed on day 33 and resolved on day 35.
        Assert.Equal(TimeSpan.FromDays(2), MeanTimeToResolve(satisfaction));
    }

    [Fact]
    public async Task As_of_an_earlier_instant_the_history_stops_there_and_an_open_complaint_counts()
    {
        var history = await api.HistoryAsync();

        var satisfaction = await api.Bootstrap.GetJsonAsync(
            $"{history.Path}/satisfaction?asOf={LedgerHttp.Query(history.Day(34))}"
        );

        Assert.Equal(
            ["Survey", "Complaint"],
            satisfaction.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("source").GetString())
        );
        Assert.Equal(1, satisfaction.GetProperty("openComplaints").GetInt32());
        Assert.Equal(100m, satisfaction.GetProperty("csat").GetDecimal());
        Assert.Equal(100m, satisfaction.GetProperty("nps").GetDecimal());
        Assert.Equal("Stable", satisfaction.GetProperty("trend").GetString());
        Assert.Null(MeanTimeToResolve(satisfaction));
    }

    [Fact]
    public async Task Csat_and_nps_count_the_trailing_365_days_and_the_all_time_figures_count_everything()
    {
        var id = LedgerHttp.NewCustomerId("trailing");
        var now = DateTimeOffset.UtcNow;
        await api.Bootstrap.RegisterAsync(id, now.AddDays(-500));
        await SurveyAsync(id, "s-old", 1, 0, now.AddDays(-400));
        await SurveyAsync(id, "s-new", 5, 10, now.AddDays(-10));

        var satisfaction = await api.Bootstrap.GetJsonAsync($"/customers/{id}/satisfaction");
        var overview = (await api.Bootstrap.GetJsonAsync($"/customers/{id}")).GetProperty("satisfaction");

        Assert.Equal(100m, satisfaction.GetProperty("csat").GetDecimal());
        Assert.Equal(100m, satisfaction.GetProperty("nps").GetDecimal());
        Assert.Equal(50m, satisfaction.GetProperty("csatAllTime").GetDecimal());
        Assert.Equal(0m, satisfaction.GetProperty("npsAllTime").GetDecimal());
        Assert.Equal(100m, overview.GetProperty("csat").GetDecimal());
        Assert.Equal(50m, overview.GetProperty("csatAllTime").GetDecimal());
        Assert.Equal("Improving", satisfaction.GetProperty("trend").GetString());
    }

    private Task<CommandAnswer> SurveyAsync(string id, string surveyId, int rating, int recommend, DateTimeOffset at) =>
        api.Bootstrap.CommandAsync(
            $"/customers/{id}/surveys",
            new
            {
                surveyId,
                rating,
                recommend,
                occurredAt = at,
            }
        );

    private static (DateTimeOffset, string?, int?, int?, string?) Point(JsonElement point) =>
        (
            point.GetProperty("at").GetDateTimeOffset(),
            point.GetProperty("source").GetString(),
            OptionalInt(point, "rating"),
            OptionalInt(point, "recommend"),
            point.TryGetProperty("complaintId", out var c) && c.ValueKind != JsonValueKind.Null ? c.GetString() : null
        );

    private static int? OptionalInt(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetInt32() : null;

    /// <summary>shared/api.md names the field <c>meanTimeToResolve</c>; it is a duration ("d.hh:mm:ss"), null without a resolution.</summary>
    private static TimeSpan? MeanTimeToResolve(JsonElement satisfaction)
    {
        Assert.True(
            satisfaction.TryGetProperty("meanTimeToResolve", out var mean),
            $"meanTimeToResolve is missing: {satisfaction.GetRawText()}"
        );
        return mean.ValueKind == JsonValueKind.Null
            ? null
            : TimeSpan.Parse(mean.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
    }
}
