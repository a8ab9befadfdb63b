using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using static RelationshipLedger.Domain.Tests.TestEvents;
using static RelationshipLedger.Domain.Tests.Timeline;

namespace RelationshipLedger.Domain.Tests.Rules;

// domain.md §2.3, rules v1: W = 180 days; recent = net revenue in (asOf−W, asOf], previous = in
// (asOf−2W, asOf−W]. Growth if ≥ 2 purchases, recent > 0 and (recent ≥ previous or the first purchase
// is less than W before asOf); Cultivation otherwise.
public class LifecycleCultivationAndGrowthTests
{
    // Registered day 0; order o1 100 on day 10; order o2 100 on day 40.
    private static readonly CustomerState History = Start()
        .On(10, Purchase("o1", 100m))
        .On(40, Purchase("o2", 100m))
        .State;

    public static TheoryData<double, LifecycleStage> Rows =>
        new()
        {
            // No purchase yet.
            { 0, LifecycleStage.Cultivation },
            // One trial purchase (o1): Growth needs two.
            { 10, LifecycleStage.Cultivation },
            { 39, LifecycleStage.Cultivation },
            // Two purchases; recent (−140, 40] = 200 > 0; the first (day 10) is 30 < 180 days before.
            { 40, LifecycleStage.Growth },
            // recent (9, 189] = 200 ≥ previous (−171, 9] = 0.
            { 189, LifecycleStage.Growth },
            // Later on: the first purchase is 180 days before (not < 180), but recent (10, 190] = o2 = 100
            // ≥ previous (−170, 10] = o1 = 100; not Decline since 100 ≥ 0.5 × 100.
            { 190, LifecycleStage.Growth },
            // recent (39, 219] = 100 ≥ previous (−141, 39] = 100.
            { 219, LifecycleStage.Growth },
            // recent (40, 220] = 0 < 0.5 × previous (−140, 40] = 0.5 × 200 = 100, and the customer grew on
            // day 40: Decline.
            { 220, LifecycleStage.Decline },
        };

    [Theory]
    [MemberData(nameof(Rows))]
    public void The_stage_of_a_customer_who_tries_then_buys_again(double asOfDay, LifecycleStage expected)
    {
        Assert.Equal(expected, StageRules.StageAt(History, Day(asOfDay)));
    }

    [Fact]
    public void A_registered_customer_without_purchases_stays_in_cultivation_for_years()
    {
        Assert.Equal(LifecycleStage.Cultivation, StageRules.StageAt(Start().State, Day(1000)));
    }

    [Theory]
    // Orders 100 on day 10 and 20, then X on day 200. At day 210: recent (30, 210] = X,
    // previous (−150, 30] = 200; the first purchase is 200 days before, so Growth needs X ≥ 200.
    [InlineData(200, LifecycleStage.Growth)]
    [InlineData(250, LifecycleStage.Growth)]
    // 100 ≥ 0.5 × 200 is no Decline, 100 < 200 is no Growth: Cultivation, "otherwise".
    [InlineData(100, LifecycleStage.Cultivation)]
    [InlineData(199.99, LifecycleStage.Cultivation)]
    public void Later_on_growth_needs_recent_revenue_at_least_the_previous(double lastOrder, LifecycleStage expected)
    {
        var state = Start()
            .On(10, Purchase("o1", 100m))
            .On(20, Purchase("o2", 100m))
            .On(200, Purchase("o3", (decimal)lastOrder))
            .State;

        Assert.Equal(expected, StageRules.StageAt(state, Day(210)));
    }

    [Fact]
    public void Two_purchases_whose_revenue_was_fully_refunded_are_no_growth()
    {
        // Orders 100 on day 10 and 20, both refunded on day 25: still two purchases (refunds do not
        // reduce the count) but recent (−155, 30] = 200 − 200 = 0, not > 0. No decline condition holds
        // (0 < 0.5 × 0 is false; silence no; no ratings; fewer than 3 purchases): Cultivation.
        var state = Start()
            .On(10, Purchase("o1", 100m))
            .On(20, Purchase("o2", 100m))
            .On(25, Refund("o1", 100m), Refund("o2", 100m))
            .State;

        Assert.Equal(LifecycleStage.Growth, StageRules.StageAt(state, Day(24)));
        Assert.Equal(LifecycleStage.Cultivation, StageRules.StageAt(state, Day(30)));
    }

    [Fact]
    public void A_partial_refund_reduces_revenue_but_the_purchase_still_counts()
    {
        // Orders 100 on day 10 and 20, o2 refunded 90 on day 21: two purchases, recent = 200 − 90 = 110 > 0.
        var state = Start().On(10, Purchase("o1", 100m)).On(20, Purchase("o2", 100m)).On(21, Refund("o2", 90m)).State;

        Assert.Equal(LifecycleStage.Growth, StageRules.StageAt(state, Day(30)));
    }
}
