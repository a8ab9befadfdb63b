using System.Text.Json;
using RelationshipLedger.Api.Tests.Support;

namespace RelationshipLedger.Api.Tests.Customers;

/// <summary>GET /customers/{id}: the overview, with values worked out by hand from shared/domain.md §2.</summary>
public sealed class OverviewQueryTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    [Fact]
    public async Task The_overview_shows_what_the_scripted_history_implies_today()
    {
        var history = await api.HistoryAsync();

        var overview = await api.Bootstrap.GetJsonAsync(history.Path);

        Assert.Equal(history.CustomerId, overview.GetProperty("customerId").GetString());
        Assert.Equal("Harbour Logistics", overview.GetProperty("name").GetString());
        Assert.Equal("Organization", overview.GetProperty("kind").GetString());
        Assert.Equal(13, overview.GetProperty("version").GetInt64());
        Assert.Equal("PreferredSupplier", overview.GetProperty("tier").GetString());
        Assert.Equal(history.Day(60), overview.GetProperty("tierSince").GetDateTimeOffset());
        // A company-initiated follow-up 4 days after a purchase, within the trailing 365 days.
        Assert.Equal("Accountable", overview.GetProperty("engagementType").GetString());
        // Two purchases, recent revenue 1500 > 0 and the first purchase within W = 180 days; no decline signal.
        Assert.Equal("Growth", overview.GetProperty("lifecycleStage").GetString());
        Assert.Equal(history.Day(20), overview.GetProperty("stageSince").GetDateTimeOffset());
        Assert.Equal("bob", overview.GetProperty("owner").GetString());
        var care = overview.GetProperty("careTier");
        Assert.Equal(2, care.GetProperty("tier").GetInt32());
        Assert.Equal(600m, care.GetProperty("annualBudget").GetDecimal());
        Assert.True(
            !overview.TryGetProperty("churnRisk", out var churn) || churn.ValueKind == JsonValueKind.Null,
            "a growing customer is not at risk"
        );
    }

    [Fact]
    public async Task The_overview_satisfaction_has_csat_and_nps_as_percentages_over_the_ratings()
    {
        var history = await api.HistoryAsync();

        var satisfaction = (await api.Bootstrap.GetJsonAsync(history.Path)).GetProperty("satisfaction");

        Assert.Equal(4, satisfaction.GetProperty("latestRating").GetInt32());
        // Ratings 5, 2, 4, 4: three of four are 4–5.
        Assert.Equal(75m, satisfaction.GetProperty("csat").GetDecimal());
        Assert.Equal(75m, satisfaction.GetProperty("csatAllTime").GetDecimal());
        // Recommend 10, 6, 9, 8: 50 % promoters (9–10) − 25 % detractors (0–6).
        Assert.Equal(25m, satisfaction.GetProperty("nps").GetDecimal());
        Assert.Equal(25m, satisfaction.GetProperty("npsAllTime").GetDecimal());
        // The latest three ratings are 2, 4, 4: the last minus the first is +2.
        Assert.Equal("Improving", satisfaction.GetProperty("trend").GetString());
        Assert.Equal(0, satisfaction.GetProperty("openComplaints").GetInt32());
    }

    [Theory]
    [InlineData("Basic")]
    [InlineData("Reactive")]
    [InlineData("Accountable")]
    [InlineData("Proactive")]
    [InlineData("Partnership")]
    public async Task The_engagement_type_is_the_first_rule_that_matches_the_contacts_of_the_last_365_days(
        string expected
    )
    {
        var id = LedgerHttp.NewCustomerId(expected.ToLowerInvariant());
        var now = DateTimeOffset.UtcNow;
        await api.Bootstrap.RegisterAsync(id, now.AddDays(-500));
        await api.Bootstrap.CommandAsync(
            $"/customers/{id}/purchases",
            new
            {
                orderId = "o-1",
                amount = 100m,
                currency = "EUR",
                occurredAt = now.AddDays(-100),
            }
        );
        // Noise every case shares: a joint planning session too old to count, and a follow-up 40 days after the purchase.
        await ContactAsync(id, "Company", "JointPlanning", now.AddDays(-400));
        await ContactAsync(id, "Company", "FollowUp", now.AddDays(-60));
        switch (expected)
        {
            case "Reactive":
                await ContactAsync(id, "Customer", "Service", now.AddDays(-5));
                break;
            case "Accountable":
                await ContactAsync(id, "Customer", "Service", now.AddDays(-5));
                await ContactAsync(id, "Company", "FollowUp", now.AddDays(-71));
                break;
            case "Proactive":
                await ContactAsync(id, "Company", "Advice", now.AddDays(-30));
                await ContactAsync(id, "Company", "Advice", now.AddDays(-20));
                await ContactAsync(id, "Company", "FollowUp", now.AddDays(-99));
                break;
            case "Partnership":
                await ContactAsync(id, "Company", "Advice", now.AddDays(-30));
                await ContactAsync(id, "Company", "Advice", now.AddDays(-20));
                await ContactAsync(id, "Company", "JointPlanning", now.AddDays(-10));
                break;
        }

        var overview = await api.Bootstrap.GetJsonAsync($"/customers/{id}");

        Assert.Equal(expected, overview.GetProperty("engagementType").GetString());
    }

    [Fact]
    public async Task An_ended_relationship_is_in_the_ended_stage_until_it_is_reactivated()
    {
        var id = LedgerHttp.NewCustomerId("ended");
        await api.Bootstrap.RegisterAsync(id, DateTimeOffset.UtcNow.AddDays(-10));
        await api.Bootstrap.CommandAsync($"/customers/{id}/end", new { cause = "Dissatisfaction" });

        var ended = await api.Bootstrap.GetJsonAsync($"/customers/{id}");
        await api.Bootstrap.CommandAsync($"/customers/{id}/reactivate", new { reason = "New management" });
        var reactivated = await api.Bootstrap.GetJsonAsync($"/customers/{id}");

        Assert.Equal("Ended", ended.GetProperty("lifecycleStage").GetString());
        Assert.Equal("Cultivation", reactivated.GetProperty("lifecycleStage").GetString());
    }

    private Task<CommandAnswer> ContactAsync(string id, string initiator, string purpose, DateTimeOffset at) =>
        api.Bootstrap.CommandAsync(
            $"/customers/{id}/contacts",
            new
            {
                channel = "Meeting",
                initiator,
                purpose,
                occurredAt = at,
            }
        );
}
