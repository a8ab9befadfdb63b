using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using static RelationshipLedger.Domain.Tests.TestEvents;
using static RelationshipLedger.Domain.Tests.Timeline;

namespace RelationshipLedger.Domain.Tests.Rules;

// domain.md §2.3: stage transitions are recorded with the instant and the event that caused them; a stage
// that changes only because time passed (silence ⇒ Decline) has no causing event.
public class StageHistoryTests
{
    // v1 registered day 0; v2 order 100 day 10; v3 order 100 day 40; v4 order 100 day 300.
    private static readonly CustomerState ThreeOrders = Start()
        .On(10, Purchase("o1", 100m))
        .On(40, Purchase("o2", 100m))
        .On(300, Purchase("o3", 100m))
        .State;

    [Fact]
    public void Transitions_carry_their_instant_and_the_version_of_the_event_that_caused_them()
    {
        StageTransition[] expected =
        [
            // Registration: no purchase.
            new(null, LifecycleStage.Cultivation, Day(0), 1),
            // Day 10, one purchase: no change. Day 40: two purchases, first 30 days old.
            new(LifecycleStage.Cultivation, LifecycleStage.Growth, Day(40), 3),
            // Day 190 (o1 leaves recent): recent 100 ≥ previous 100, no change.
            // Day 220 = day 40 + W: recent (40, 220] = 0 < 0.5 × previous (−140, 40] = 200. Time only.
            new(LifecycleStage.Growth, LifecycleStage.Decline, Day(220), null),
            // Day 300, o3: recent (120, 300] = 100, previous (−60, 120] = 200, 100 < 100 false; intervals
            // 30, 260 → cycle 145; not Growth (100 < 200, first 290 days old): Cultivation, caused by v4.
            new(LifecycleStage.Decline, LifecycleStage.Cultivation, Day(300), 4),
            // Day 370 = day 10 + 2W, o1 leaves previous: previous (10, 190] = 100, recent 100 → Growth.
            new(LifecycleStage.Cultivation, LifecycleStage.Growth, Day(370), null),
            // Day 375 (first purchase a year old: 3 purchases, no Maturity) and day 400 (o2 leaves
            // previous: 100 ≥ 0) change nothing. Day 480 = day 300 + W: recent 0 < 0.5 × 100.
            new(LifecycleStage.Growth, LifecycleStage.Decline, Day(480), null),
        ];

        Assert.Equal(expected, StageHistory.Of(ThreeOrders, Day(500)));
    }

    [Fact]
    public void The_time_only_transition_happens_at_exactly_the_boundary_instant()
    {
        Assert.Equal(LifecycleStage.Growth, StageRules.StageAt(ThreeOrders, Day(220) - Microsecond));
        Assert.Equal(LifecycleStage.Decline, StageRules.StageAt(ThreeOrders, Day(220)));
    }

    [Fact]
    public void The_history_stops_at_until()
    {
        var history = StageHistory.Of(ThreeOrders, Day(250));

        Assert.Equal(
            [(LifecycleStage?)null, LifecycleStage.Cultivation, LifecycleStage.Growth],
            history.Select(t => t.From)
        );
        Assert.Equal(new StageTransition(LifecycleStage.Growth, LifecycleStage.Decline, Day(220), null), history[^1]);
    }

    [Fact]
    public void There_is_no_history_before_the_registration()
    {
        Assert.Empty(StageHistory.Of(ThreeOrders, Day(0) - Microsecond));
        Assert.Empty(StageHistory.Of(CustomerState.Initial, Day(10)));
    }

    [Fact]
    public void Surveys_ends_and_reactivations_cause_transitions()
    {
        // v2 order day 10; v3 order day 20; v4 rating 1 day 30; v5 ended day 40; v6 reactivated day 50;
        // v7 rating 5 day 60.
        var state = Start()
            .On(10, Purchase("o1", 100m))
            .On(20, Purchase("o2", 100m))
            .On(30, Survey("s1", 1))
            .On(40, Ended())
            .On(50, Reactivated())
            .On(60, Survey("s2", 5))
            .State;

        StageTransition[] expected =
        [
            new(null, LifecycleStage.Cultivation, Day(0), 1),
            // Two purchases, first 10 days old.
            new(LifecycleStage.Cultivation, LifecycleStage.Growth, Day(20), 3),
            // Mean of the last two ratings (of one) = 1 ≤ 2; grew on day 20.
            new(LifecycleStage.Growth, LifecycleStage.Decline, Day(30), 4),
            new(LifecycleStage.Decline, LifecycleStage.Ended, Day(40), 5),
            // Reactivated, and the rating condition still holds.
            new(LifecycleStage.Ended, LifecycleStage.Decline, Day(50), 6),
            // (1 + 5) / 2 = 3 > 2; recent 200 > 0, first purchase 50 days old.
            new(LifecycleStage.Decline, LifecycleStage.Growth, Day(60), 7),
        ];

        Assert.Equal(expected, StageHistory.Of(state, Day(100)));
    }

    [Fact]
    public void A_year_of_silence_turns_decline_at_exactly_the_last_purchase_plus_two_windows()
    {
        // With the revenue rule switched off (factor 0: recent < 0 never holds without refunds), silence
        // is the only decline condition. v2 order day 10, v3 order day 20.
        var rules = LifecycleRules.Default with
        {
            DeclineRevenueFactor = 0m,
        };
        var state = Start().On(10, Purchase("o1", 100m)).On(20, Purchase("o2", 100m)).State;

        StageTransition[] expected =
        [
            new(null, LifecycleStage.Cultivation, Day(0), 1),
            new(LifecycleStage.Cultivation, LifecycleStage.Growth, Day(20), 3),
            // Day 190: recent (10, 190] = 100 ≥ previous 100, still Growth. Day 200 = 20 + W: recent 0,
            // not > 0: Cultivation.
            new(LifecycleStage.Growth, LifecycleStage.Cultivation, Day(200), null),
            // Day 380 = 20 + 2W: no purchase in (20, 380].
            new(LifecycleStage.Cultivation, LifecycleStage.Decline, Day(380), null),
        ];

        Assert.Equal(expected, StageHistory.Of(state, Day(500), rules));
        Assert.Equal(LifecycleStage.Cultivation, StageRules.StageAt(state, Day(380) - Microsecond, rules));
    }

    [Fact]
    public void A_lengthened_purchase_cycle_turns_decline_just_after_twice_the_cycle()
    {
        // v2..v4 orders 100 on days 10, 20, 30: cycle 10 days, limit day 50; the first instant after it
        // is one microsecond later (the resolution of stored instants).
        var state = Start()
            .On(10, Purchase("o1", 100m))
            .On(20, Purchase("o2", 100m))
            .On(30, Purchase("o3", 100m))
            .State;

        var history = StageHistory.Of(state, Day(60));

        Assert.Equal(
            new StageTransition(LifecycleStage.Growth, LifecycleStage.Decline, Day(50) + Microsecond, null),
            history[^1]
        );
        Assert.Equal(3, history.Count);
    }
}
