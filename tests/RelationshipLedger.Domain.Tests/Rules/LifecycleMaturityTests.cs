using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.Testing;
using static RelationshipLedger.Domain.Tests.TestEvents;
using static RelationshipLedger.Domain.Tests.Timeline;

namespace RelationshipLedger.Domain.Tests.Rules;

// domain.md §2.3: Maturity if ≥ 6 purchases, the first purchase is ≥ 365 days before asOf,
// recent ≥ 0.8 × previous, and the mean of the last three survey ratings ≥ 4 (no survey: not mature).
public class LifecycleMaturityTests
{
    // Ratings are surveyed every 50 days from day 50.
    // Seven orders of 100 every 60 days from day 5: 5, 65, 125, 185, 245, 305, 365.
    // At day 370: 7 purchases; the first is 365 days old; recent (190, 370] = 245+305+365 = 300,
    // previous (10, 190] = 65+125+185 = 300, 300 ≥ 0.8 × 300 = 240. The purchase cycle is 60 days and
    // the last purchase 5 days old, so no Decline condition holds.
    private static CustomerSpec Purchases(decimal lastAmount = 100m)
    {
        var spec = Start();
        for (var i = 0; i < 6; i++)
            spec.On(5 + (60 * i), Purchase($"o{i + 1}", 100m));
        return spec.On(365, Purchase("o7", lastAmount));
    }

    private static CustomerState WithRatings(CustomerSpec spec, params int[] ratings)
    {
        for (var i = 0; i < ratings.Length; i++)
            spec.On(50 + (50 * i), Survey($"s{i + 1}", ratings[i]));
        return spec.State;
    }

    [Fact]
    public void A_year_old_customer_with_six_purchases_steady_revenue_and_good_ratings_is_mature()
    {
        // Ratings 5, 4, 4 on days 50, 100, 150: mean 13 / 3 = 4.33 ≥ 4.
        var state = WithRatings(Purchases(), 5, 4, 4);

        Assert.Equal(LifecycleStage.Maturity, StageRules.StageAt(state, Day(370)));
    }

    [Fact]
    public void A_day_before_the_first_purchase_turns_a_year_old_the_customer_is_still_growing()
    {
        // Day 369: the first purchase is 364 < 365 days old. recent (189, 369] = 300 ≥ previous (9, 189] = 300.
        var state = WithRatings(Purchases(), 5, 4, 4);

        Assert.Equal(LifecycleStage.Growth, StageRules.StageAt(state, Day(369)));
    }

    [Fact]
    public void Without_any_survey_a_customer_is_not_mature()
    {
        // Everything else as in the mature case: recent 300 ≥ previous 300, so Growth.
        var state = Purchases().State;

        Assert.Equal(LifecycleStage.Growth, StageRules.StageAt(state, Day(370)));
    }

    [Theory]
    // 5, 4, 3: mean 12 / 3 = 4 ≥ 4.
    [InlineData(new[] { 5, 4, 3 }, LifecycleStage.Maturity)]
    // 4, 4, 3: mean 11 / 3 = 3.67 < 4; recent 300 ≥ previous 300 → Growth.
    [InlineData(new[] { 4, 4, 3 }, LifecycleStage.Growth)]
    // Only the last three count: 1 is dropped, 5, 4, 3 → 4.
    [InlineData(new[] { 1, 5, 4, 3 }, LifecycleStage.Maturity)]
    // Of as many as exist: a single 4 → mean 4.
    [InlineData(new[] { 4 }, LifecycleStage.Maturity)]
    public void Maturity_needs_the_mean_of_the_last_three_ratings_to_be_at_least_four(
        int[] ratings,
        LifecycleStage expected
    )
    {
        var state = WithRatings(Purchases(), ratings);

        Assert.Equal(expected, StageRules.StageAt(state, Day(370)));
    }

    [Theory]
    // recent = 245 + 305 + last = 200 + last; previous = 300; 0.8 × 300 = 240.
    [InlineData(40, LifecycleStage.Maturity)] // 240 ≥ 240
    // 239.99 < 240: not mature; 239.99 < 300 and the first purchase is not within W: no Growth;
    // 239.99 ≥ 0.5 × 300: no Decline. Cultivation.
    [InlineData(39.99, LifecycleStage.Cultivation)]
    public void Maturity_needs_recent_revenue_of_at_least_four_fifths_of_the_previous(
        double lastAmount,
        LifecycleStage expected
    )
    {
        var state = WithRatings(Purchases((decimal)lastAmount), 5, 4, 4);

        Assert.Equal(expected, StageRules.StageAt(state, Day(370)));
    }

    // Orders on days 5, 65, 125, 185 (100 each) and 245, 305 (150 each); ratings 5, 4, 4.
    // At day 370: recent (190, 370] = 150 + 150 = 300; previous (10, 190] = 65+125+185 = 300.
    private static CustomerSpec SixPurchases(bool skipSecond = false)
    {
        var spec = Start().On(5, Purchase("o1", 100m));
        if (!skipSecond)
            spec.On(65, Purchase("o2", 100m));
        spec.On(125, Purchase("o3", 100m))
            .On(185, Purchase("o4", 100m))
            .On(245, Purchase("o5", 150m))
            .On(305, Purchase("o6", 150m));
        WithRatings(spec, 5, 4, 4);
        return spec;
    }

    [Fact]
    public void Six_purchases_are_enough_and_five_are_not()
    {
        // Without o2: previous = 125+185 = 200, recent 300 ≥ 0.8 × 200, but 5 purchases → Growth (300 ≥ 200).
        // Cycle: intervals 120, 60, 60, 60 → 60 days; the last is 65 days old ≤ 120: no Decline.
        Assert.Equal(LifecycleStage.Maturity, StageRules.StageAt(SixPurchases().State, Day(370)));
        Assert.Equal(LifecycleStage.Growth, StageRules.StageAt(SixPurchases(skipSecond: true).State, Day(370)));
    }

    [Fact]
    public void A_fully_refunded_order_still_counts_as_a_purchase()
    {
        // o3 (day 125) refunded in full on day 130: previous = 100 + 0 + 100 = 200, recent 300 ≥ 160;
        // still 6 purchases.
        var state = SixPurchases().On(130, Refund("o3", 100m)).State;

        Assert.Equal(LifecycleStage.Maturity, StageRules.StageAt(state, Day(370)));
    }

    [Fact]
    public void A_refund_in_the_recent_window_can_end_maturity()
    {
        // o6 (day 305) refunded 100 on day 306: recent = 150 + 50 = 200 < 0.8 × 300 = 240; not Growth
        // (200 < 300, first purchase 365 days old); not Decline (200 ≥ 150): Cultivation.
        var state = SixPurchases().On(306, Refund("o6", 100m)).State;

        Assert.Equal(LifecycleStage.Cultivation, StageRules.StageAt(state, Day(370)));
    }
}
