using RelationshipLedger.Domain.Rules;
using static RelationshipLedger.Domain.Tests.TestEvents;
using static RelationshipLedger.Domain.Tests.Timeline;

namespace RelationshipLedger.Domain.Tests.Rules;

// domain.md §2.3: Ended if the last lifecycle event is RelationshipEnded (until RelationshipReactivated),
// tried before every other rule; Stage(facts, asOf) counts only what happened up to asOf.
public class LifecycleEndedAndAsOfTests
{
    public static TheoryData<double, LifecycleStage> EndedRows =>
        new()
        {
            // Orders 100 on day 10 and 20: Growth (recent 200, first 39 days old).
            { 49, LifecycleStage.Growth },
            // RelationshipEnded on day 50.
            { 50, LifecycleStage.Ended },
            { 60, LifecycleStage.Ended },
            // RelationshipReactivated on day 70: recent (−110, 70] = 200, first 60 days old → Growth.
            { 70, LifecycleStage.Growth },
        };

    [Theory]
    [MemberData(nameof(EndedRows))]
    public void An_ended_relationship_is_Ended_until_it_is_reactivated(double asOfDay, LifecycleStage expected)
    {
        var state = Start()
            .On(10, Purchase("o1", 100m))
            .On(20, Purchase("o2", 100m))
            .On(50, Ended())
            .On(70, Reactivated())
            .State;

        Assert.Equal(expected, StageRules.StageAt(state, Day(asOfDay)));
    }

    [Fact]
    public void Ended_comes_before_decline()
    {
        // Day 300: recent (120, 300] = 0 < 0.5 × previous (−60, 120] = 200 would be Decline.
        var state = Start().On(10, Purchase("o1", 100m)).On(20, Purchase("o2", 100m)).On(50, Ended()).State;

        Assert.Equal(LifecycleStage.Ended, StageRules.StageAt(state, Day(300)));
    }

    [Fact]
    public void Ended_again_after_a_reactivation()
    {
        var state = Start().On(10, Purchase("o1", 100m)).On(20, Ended()).On(30, Reactivated()).On(40, Ended()).State;

        Assert.Equal(LifecycleStage.Ended, StageRules.StageAt(state, Day(25)));
        Assert.Equal(LifecycleStage.Cultivation, StageRules.StageAt(state, Day(35)));
        Assert.Equal(LifecycleStage.Ended, StageRules.StageAt(state, Day(45)));
    }

    [Theory]
    // Full history: orders 100 on day 10 and 40, rating 1 on day 50, order 100 on day 60, ended on day 70.
    [InlineData(10, LifecycleStage.Cultivation)] // one purchase
    [InlineData(40, LifecycleStage.Growth)] // two, recent 200, first 30 days old
    [InlineData(45, LifecycleStage.Growth)]
    public void Facts_after_asOf_are_ignored(double asOfDay, LifecycleStage expected)
    {
        var shorter = Start().On(10, Purchase("o1", 100m)).On(40, Purchase("o2", 100m));
        var full = Start()
            .On(10, Purchase("o1", 100m))
            .On(40, Purchase("o2", 100m))
            .On(50, Survey("s1", 1))
            .On(60, Purchase("o3", 100m))
            .On(70, Ended());

        Assert.Equal(expected, StageRules.StageAt(shorter.State, Day(asOfDay)));
        Assert.Equal(expected, StageRules.StageAt(full.State, Day(asOfDay)));
    }

    [Fact]
    public void The_same_state_answers_later_instants_with_the_later_facts()
    {
        // As above: day 50 the rating 1 (mean 1 ≤ 2, grew on day 40) → Decline; day 70 → Ended.
        var full = Start()
            .On(10, Purchase("o1", 100m))
            .On(40, Purchase("o2", 100m))
            .On(50, Survey("s1", 1))
            .On(60, Purchase("o3", 100m))
            .On(70, Ended())
            .State;

        Assert.Equal(LifecycleStage.Decline, StageRules.StageAt(full, Day(50)));
        Assert.Equal(LifecycleStage.Ended, StageRules.StageAt(full, Day(70)));
    }

    [Fact]
    public void A_fact_recorded_late_counts_from_the_instant_it_happened()
    {
        // The order of day 20 is appended after the survey of day 30 (a higher version, earlier business
        // time). As of day 25: two purchases, recent 200, first 15 days old → Growth.
        var state = Start().On(10, Purchase("o1", 100m)).On(30, Survey("s1", 5)).On(20, Purchase("o2", 100m)).State;

        Assert.Equal(LifecycleStage.Cultivation, StageRules.StageAt(state, Day(19)));
        Assert.Equal(LifecycleStage.Growth, StageRules.StageAt(state, Day(25)));
    }

    [Fact]
    public void The_default_rule_set_is_version_one_and_other_thresholds_are_told_apart()
    {
        var stricter = LifecycleRules.Default with { Window = TimeSpan.FromDays(90) };

        Assert.Equal("lifecycle-v1", LifecycleRules.Default.Version);
        Assert.NotEqual(LifecycleRules.Default.Version, stricter.Version);
        Assert.StartsWith("lifecycle-v1", stricter.Version, StringComparison.Ordinal);
    }
}
