using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using static RelationshipLedger.Domain.Tests.TestEvents;
using static RelationshipLedger.Domain.Tests.Timeline;

namespace RelationshipLedger.Domain.Tests.Rules;

// domain.md §2.3: Decline if the Growth or Maturity condition held at the instant of at least one of
// its purchases up to asOf, and any of: recent < 0.5 × previous; (≥ 3 purchases) days since the last
// purchase > 2 × cycle (the median interval); no purchase in (asOf−2W, asOf]; mean of the last two
// ratings ≤ 2. Each test below makes exactly one of the four conditions hold.
public class LifecycleDeclineTests
{
    [Theory]
    // Orders 100 on day 10 and 20 (Growth on day 20: two purchases, the first 10 days before), X on
    // day 200. At day 210: recent (30, 210] = X, previous (−150, 30] = 200, half of it 100.
    // Cycle: intervals 10, 180 → median 95 days, last purchase 10 days old; purchases in the last 360 days.
    [InlineData(99.99, LifecycleStage.Decline)]
    [InlineData(100, LifecycleStage.Cultivation)] // 100 < 100 is false: no Decline (and 100 < 200: no Growth)
    public void Recent_revenue_under_half_the_previous_is_decline(double lastOrder, LifecycleStage expected)
    {
        var state = Start()
            .On(10, Purchase("o1", 100m))
            .On(20, Purchase("o2", 100m))
            .On(200, Purchase("o3", (decimal)lastOrder))
            .State;

        Assert.Equal(expected, StageRules.StageAt(state, Day(210)));
    }

    // Orders 100 on days 10, 20, 30: intervals 10, 10 → cycle 10 days; the limit is 2 × 10 = 20 days
    // after the last purchase, day 50. Revenue: recent = 300, previous = 0; no ratings.
    private static readonly CustomerState ThreePurchases = Start()
        .On(10, Purchase("o1", 100m))
        .On(20, Purchase("o2", 100m))
        .On(30, Purchase("o3", 100m))
        .State;

    [Fact]
    public void At_exactly_twice_the_purchase_cycle_the_customer_is_still_growing()
    {
        // 20 days since the last purchase is not > 20; recent 300 > 0 and the first purchase is 40 days old.
        Assert.Equal(LifecycleStage.Growth, StageRules.StageAt(ThreePurchases, Day(50)));
    }

    [Fact]
    public void Just_after_twice_the_purchase_cycle_the_customer_is_in_decline()
    {
        Assert.Equal(LifecycleStage.Decline, StageRules.StageAt(ThreePurchases, Day(50) + Microsecond));
    }

    [Fact]
    public void With_only_two_purchases_a_long_pause_is_no_lengthened_cycle()
    {
        // Orders on day 10 and 20 (interval 10); at day 50 the last is 30 days old > 2 × 10, but the
        // cycle rule needs three purchases. recent (−130, 50] = 200 > 0, first 40 days old: Growth.
        var state = Start().On(10, Purchase("o1", 100m)).On(20, Purchase("o2", 100m)).State;

        Assert.Equal(LifecycleStage.Growth, StageRules.StageAt(state, Day(50)));
    }

    [Fact]
    public void With_an_even_number_of_intervals_the_cycle_is_the_mean_of_the_two_middle_ones()
    {
        // Orders on days 0, 10, 30, 70, 100: intervals 10, 20, 40, 30 → sorted 10, 20, 30, 40 →
        // cycle (20 + 30) / 2 = 25 days, limit 50 days after day 100 = day 150. (The lower middle, 20,
        // would put the limit at day 140; the upper, 30, at day 160.) Revenue: recent = 500, previous 0.
        var state = Start()
            .On(0, Purchase("o1", 100m))
            .On(10, Purchase("o2", 100m))
            .On(30, Purchase("o3", 100m))
            .On(70, Purchase("o4", 100m))
            .On(100, Purchase("o5", 100m))
            .State;

        Assert.Equal(LifecycleStage.Growth, StageRules.StageAt(state, Day(145)));
        Assert.Equal(LifecycleStage.Growth, StageRules.StageAt(state, Day(150)));
        Assert.Equal(LifecycleStage.Decline, StageRules.StageAt(state, Day(150) + Microsecond));
    }

    [Fact]
    public void A_year_of_silence_alone_is_decline()
    {
        // Orders 100 on day 10 and 20 (Growth on day 20). At day 380 = 20 + 2 × 180: no purchase in
        // (20, 380]; recent (200, 380] = 0 and previous (20, 200] = 0, so 0 < 0.5 × 0 is false; two
        // purchases only (no cycle rule); no ratings. Only the silence makes it Decline.
        var state = Start().On(10, Purchase("o1", 100m)).On(20, Purchase("o2", 100m)).State;

        Assert.Equal(LifecycleStage.Decline, StageRules.StageAt(state, Day(380)));
        Assert.Equal(LifecycleStage.Decline, StageRules.StageAt(state, Day(1000)));
    }

    public static TheoryData<double, LifecycleStage> RatingRows =>
        new()
        {
            // Orders 100 on day 10 and 20; before any survey: Growth.
            { 29, LifecycleStage.Growth },
            // Rating 3 on day 30: the mean of the last two (of as many as exist) is 3 > 2.
            { 30, LifecycleStage.Growth },
            // Rating 1 on day 31: (3 + 1) / 2 = 2 ≤ 2.
            { 31, LifecycleStage.Decline },
            // Rating 4 on day 32: (1 + 4) / 2 = 2.5 > 2; recent 200 > 0, first purchase 22 days old.
            { 32, LifecycleStage.Growth },
        };

    [Theory]
    [MemberData(nameof(RatingRows))]
    public void A_mean_of_the_last_two_ratings_of_two_or_less_is_decline(double asOfDay, LifecycleStage expected)
    {
        var state = Start()
            .On(10, Purchase("o1", 100m))
            .On(20, Purchase("o2", 100m))
            .On(30, Survey("s1", 3))
            .On(31, Survey("s2", 1))
            .On(32, Survey("s3", 4))
            .State;

        Assert.Equal(expected, StageRules.StageAt(state, Day(asOfDay)));
    }

    [Fact]
    public void Falling_revenue_and_a_lengthened_cycle_do_not_make_a_customer_who_never_grew_decline()
    {
        // Order 1000 on day 0, 100 on day 200 and on day 210. Never Growth at a purchase: day 0 one
        // purchase; day 200 recent (20, 200] = 100 < previous (−160, 20] = 1000 and the first purchase is
        // 200 days old; day 210 recent 200 < previous 1000, same. Never Maturity (3 purchases).
        var state = Start()
            .On(0, Purchase("o1", 1000m))
            .On(200, Purchase("o2", 100m))
            .On(210, Purchase("o3", 100m))
            .State;

        // Day 210: recent 200 < 0.5 × 1000 holds.
        Assert.Equal(LifecycleStage.Cultivation, StageRules.StageAt(state, Day(210)));
        // Day 421: intervals 200, 10 → cycle 105, 211 days since the last > 210; and recent (241, 421] = 0
        // < 0.5 × previous (61, 241] = 100.
        Assert.Equal(LifecycleStage.Cultivation, StageRules.StageAt(state, Day(421)));
    }

    [Fact]
    public void Silence_does_not_make_a_single_trial_purchase_decline()
    {
        // One order on day 10; by day 400 nothing was bought in (40, 400].
        var state = Start().On(10, Purchase("o1", 100m)).State;

        Assert.Equal(LifecycleStage.Cultivation, StageRules.StageAt(state, Day(400)));
    }

    [Fact]
    public void Poor_ratings_do_not_make_a_customer_who_never_grew_decline()
    {
        var withTrial = Start().On(10, Purchase("o1", 100m)).On(20, Survey("s1", 1)).State;
        var withoutPurchase = Start().On(20, Survey("s1", 1)).State;

        Assert.Equal(LifecycleStage.Cultivation, StageRules.StageAt(withTrial, Day(30)));
        Assert.Equal(LifecycleStage.Cultivation, StageRules.StageAt(withoutPurchase, Day(30)));
    }

    [Fact]
    public void A_customer_who_grew_only_later_is_not_in_decline_before_it_grew()
    {
        // Order 100 on day 10, rating 1 on day 15 (mean 1 ≤ 2), order 100 on day 20 (Growth holds there).
        // Day 16: not yet developed, so Cultivation; day 20: developed and the rating condition holds.
        var state = Start().On(10, Purchase("o1", 100m)).On(15, Survey("s1", 1)).On(20, Purchase("o2", 100m)).State;

        Assert.Equal(LifecycleStage.Cultivation, StageRules.StageAt(state, Day(16)));
        Assert.Equal(LifecycleStage.Decline, StageRules.StageAt(state, Day(20)));
    }
}
