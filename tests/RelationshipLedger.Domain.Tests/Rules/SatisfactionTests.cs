using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using static RelationshipLedger.Domain.Tests.TestEvents;
using static RelationshipLedger.Domain.Tests.Timeline;

namespace RelationshipLedger.Domain.Tests.Rules;

// domain.md §2.4: CSAT = share of ratings 4–5 (%), NPS = %promoters (9–10) − %detractors (0–6), each over
// the trailing 365 days and over all time; open complaints; mean time to resolve; trend = last of the
// latest three ratings minus the first of them (> 0 Improving, < 0 Worsening, 0 or < 2 ratings Stable).
public class SatisfactionTests
{
    [Fact]
    public void Csat_is_the_share_of_ratings_of_four_or_five()
    {
        // Ratings 5, 4, 2: 2 of 3 = 66.666… → 66.67 %. No recommendation answered: no NPS.
        var state = Start().On(10, Survey("s1", 5)).On(20, Survey("s2", 4)).On(30, Survey("s3", 2)).State;

        var summary = SatisfactionRules.SummaryAt(state, Day(40));

        Assert.Equal(66.67m, summary.Csat);
        Assert.Equal(66.67m, summary.CsatAllTime);
        Assert.Null(summary.Nps);
        Assert.Null(summary.NpsAllTime);
        Assert.Equal(2, summary.LatestRating);
    }

    [Fact]
    public void Nps_is_the_share_of_promoters_minus_the_share_of_detractors()
    {
        // Recommend 10, 9, 7, 3: promoters 2 / 4 = 50 %, passives (7, 8) 1, detractors (0–6) 1 / 4 = 25 %.
        // NPS 50 − 25 = 25. Ratings 5, 5, 4, 3: CSAT 3 / 4 = 75 %.
        var state = Start()
            .On(10, Survey("s1", 5, 10))
            .On(20, Survey("s2", 5, 9))
            .On(30, Survey("s3", 4, 7))
            .On(40, Survey("s4", 3, 3))
            .State;

        var summary = SatisfactionRules.SummaryAt(state, Day(50));

        Assert.Equal(25m, summary.Nps);
        Assert.Equal(75m, summary.Csat);
    }

    [Fact]
    public void The_headline_is_over_the_trailing_365_days_and_all_time_is_kept_beside_it()
    {
        // As of day 800 the trailing window is (435, 800].
        // Outside: day 100 (1, recommend 0), day 400 (3, no answer).
        // Inside: day 500 (5, 10), day 600 (4, 9), day 700 (2, 7), day 790 (1, 3).
        var state = Start()
            .On(100, Survey("s1", 1, 0))
            .On(400, Survey("s2", 3))
            .On(500, Survey("s3", 5, 10))
            .On(600, Survey("s4", 4, 9))
            .On(700, Survey("s5", 2, 7))
            .On(790, Survey("s6", 1, 3))
            .State;

        var summary = SatisfactionRules.SummaryAt(state, Day(800));

        // Trailing: ratings 5, 4, 2, 1 → 2 / 4 = 50 %; recommend 10, 9, 7, 3 → 50 − 25 = 25.
        Assert.Equal(50m, summary.Csat);
        Assert.Equal(25m, summary.Nps);
        // All time: ratings 1, 3, 5, 4, 2, 1 → 2 / 6 = 33.33 %; recommend 0, 10, 9, 7, 3 →
        // promoters 2 / 5 = 40 %, detractors (0, 3) 2 / 5 = 40 % → 0.
        Assert.Equal(33.33m, summary.CsatAllTime);
        Assert.Equal(0m, summary.NpsAllTime);
        Assert.Equal(1, summary.LatestRating);
        // Latest three ratings 4, 2, 1: 1 − 4 = −3.
        Assert.Equal(SatisfactionTrend.Worsening, summary.Trend);
    }

    [Fact]
    public void A_survey_exactly_365_days_old_is_out_of_the_trailing_window()
    {
        // As of day 800: day 435 is exactly 365 days before, day 436 is inside.
        var state = Start().On(435, Survey("s1", 5, 10)).On(436, Survey("s2", 1, 0)).State;

        var summary = SatisfactionRules.SummaryAt(state, Day(800));

        Assert.Equal(0m, summary.Csat); // 0 of 1
        Assert.Equal(-100m, summary.Nps); // 0 % − 100 %
        Assert.Equal(50m, summary.CsatAllTime); // 1 of 2
        Assert.Equal(0m, summary.NpsAllTime); // 50 % − 50 %
    }

    [Fact]
    public void Surveys_after_asOf_are_not_counted()
    {
        var state = Start().On(10, Survey("s1", 5)).On(20, Survey("s2", 1)).State;

        var summary = SatisfactionRules.SummaryAt(state, Day(15));

        Assert.Equal(100m, summary.Csat);
        Assert.Equal(5, summary.LatestRating);
        Assert.Equal(SatisfactionTrend.Stable, summary.Trend);
    }

    [Fact]
    public void Without_surveys_or_complaints_there_is_nothing_to_measure()
    {
        var summary = SatisfactionRules.SummaryAt(Start().State, Day(10));

        Assert.Equal(new SatisfactionSummary(null, null, null, null, null, SatisfactionTrend.Stable, 0, null), summary);
    }

    [Theory]
    [InlineData(new int[0], SatisfactionTrend.Stable)] // no rating
    [InlineData(new[] { 4 }, SatisfactionTrend.Stable)] // fewer than two
    [InlineData(new[] { 3, 5 }, SatisfactionTrend.Improving)] // 5 − 3 = 2
    [InlineData(new[] { 5, 3 }, SatisfactionTrend.Worsening)] // 3 − 5 = −2
    [InlineData(new[] { 5, 1, 5 }, SatisfactionTrend.Stable)] // 5 − 5 = 0
    [InlineData(new[] { 4, 1, 5 }, SatisfactionTrend.Improving)] // 5 − 4 = 1
    [InlineData(new[] { 2, 5, 1, 4 }, SatisfactionTrend.Worsening)] // latest three 5, 1, 4: 4 − 5 = −1
    public void The_trend_compares_the_last_with_the_first_of_the_latest_three_ratings(
        int[] ratings,
        SatisfactionTrend expected
    )
    {
        var spec = Start();
        for (var i = 0; i < ratings.Length; i++)
            spec.On(10 * (i + 1), Survey($"s{i}", ratings[i]));

        Assert.Equal(expected, SatisfactionRules.SummaryAt(spec.State, Day(100)).Trend);
        Assert.Equal(expected, SatisfactionRules.TrendOf(spec.State.Surveys));
    }

    // k1 filed day 10, resolved day 12 (2 days); k2 filed day 11, resolved day 15 (4 days); k3 filed day 13.
    private static readonly CustomerState Complaints = Start()
        .On(10, Complaint("k1"))
        .On(11, Complaint("k2"))
        .On(12, Resolution("k1"))
        .On(13, Complaint("k3"))
        .On(15, Resolution("k2", accepted: false))
        .State;

    [Theory]
    // Day 10.5: k1 open, nothing resolved yet.
    [InlineData(10.5, 1, null)]
    // Day 14: k2 and k3 open; k1 took 2 days.
    [InlineData(14, 2, 2.0)]
    // Day 20: k3 open; (2 + 4) / 2 = 3 days.
    [InlineData(20, 1, 3.0)]
    public void Open_complaints_and_the_mean_time_to_resolve_as_of_an_instant(
        double asOfDay,
        int open,
        double? meanDays
    )
    {
        var summary = SatisfactionRules.SummaryAt(Complaints, Day(asOfDay));

        Assert.Equal(open, summary.OpenComplaints);
        Assert.Equal(meanDays is { } days ? TimeSpan.FromDays(days) : null, summary.MeanTimeToResolve);
    }

    [Fact]
    public void The_history_lists_surveys_complaints_and_resolutions_in_business_time_order()
    {
        // v2 survey day 10; v3 complaint day 20; v4 resolution day 25; v5 survey day 30; v6 survey day 15,
        // recorded late; v7 survey day 50 (after asOf).
        var state = Start()
            .On(10, Survey("s1", 4, 8))
            .On(20, Complaint("k1"))
            .On(25, Resolution("k1"))
            .On(30, Survey("s2", 2))
            .On(15, Survey("s3", 3, 6))
            .On(50, Survey("s4", 5))
            .State;

        SatisfactionPoint[] expected =
        [
            new(Day(10), SatisfactionSource.Survey, 4, 8, null, 2),
            new(Day(15), SatisfactionSource.Survey, 3, 6, null, 6),
            new(Day(20), SatisfactionSource.Complaint, null, null, "k1", 3),
            new(Day(25), SatisfactionSource.Resolution, null, null, "k1", 4),
            new(Day(30), SatisfactionSource.Survey, 2, null, null, 5),
        ];

        Assert.Equal(expected, SatisfactionRules.HistoryUpTo(state, Day(40)));
    }

    [Fact]
    public void A_survey_recorded_late_takes_its_place_in_the_trend()
    {
        // Appended 2 (day 10), 4 (day 30), then 5 dated day 5. In business time 5, 2, 4: 4 − 5 < 0 and the
        // latest rating is 4 (in append order it would be 2, 4, 5: improving, latest 5).
        var state = Start().On(10, Survey("s1", 2)).On(30, Survey("s2", 4)).On(5, Survey("s3", 5)).State;

        var summary = SatisfactionRules.SummaryAt(state, Day(40));

        Assert.Equal(SatisfactionTrend.Worsening, summary.Trend);
        Assert.Equal(4, summary.LatestRating);
    }
}
