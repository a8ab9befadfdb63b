using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using static RelationshipLedger.Domain.Tests.TestEvents;
using static RelationshipLedger.Domain.Tests.Timeline;

namespace RelationshipLedger.Domain.Tests.Rules;

// The inline overview continues the stage from the mark of its previous write instead of replaying the
// whole history; these tests hold that continuation to the full evaluation, instant by instant.
public class StageMarkTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Continuing_from_the_previous_mark_equals_evaluating_the_whole_history(int seed)
    {
        var random = new Random(seed);
        var state = Evolve(CustomerState.Initial, Registered(), 1, Day(0));
        var previous = StageHistory.MarkAt(state, Day(0));
        var at = Day(0);
        for (var version = 2; version <= 250; version++)
        {
            // Each event happens after the previous evaluation; evaluations may lag by weeks.
            var occurredAt = at.AddHours(random.Next(1, 24 * 20));
            state = Evolve(state, RandomEvent(random, version), version, occurredAt);
            at = occurredAt.AddHours(random.Next(0, 24 * 60));

            var continued = StageHistory.MarkAt(state, at, previous: previous);
            var full = StageHistory.MarkAt(state, at);

            Assert.Equal(full, continued);
            Assert.Equal(StageHistory.Of(state, at)[^1].To, continued.Stage);
            previous = continued;
        }
    }

    [Fact]
    public void A_back_dated_fact_makes_the_mark_start_again_from_the_whole_history()
    {
        // o1 day 10, o2 day 40: Growth since day 40, marked at day 50. Then an end back-dated to day 45:
        // continuing from the mark would look only after day 50 and miss it.
        var state = Evolve(CustomerState.Initial, Registered(), 1, Day(0));
        state = Evolve(state, Purchase("o1", 100m), 2, Day(10));
        state = Evolve(state, Purchase("o2", 100m), 3, Day(40));
        var mark = StageHistory.MarkAt(state, Day(50));
        state = Evolve(state, Ended(), 4, Day(45));

        var continued = StageHistory.MarkAt(state, Day(60), previous: mark);

        Assert.Equal(new StageMark(3, Day(50), LifecycleStage.Growth, Day(40)), mark);
        Assert.Equal(new StageMark(4, Day(60), LifecycleStage.Ended, Day(45)), continued);
    }

    [Fact]
    public void A_mark_from_a_later_instant_is_not_continued_backwards()
    {
        var state = Evolve(CustomerState.Initial, Registered(), 1, Day(0));
        state = Evolve(state, Purchase("o1", 100m), 2, Day(10));
        state = Evolve(state, Purchase("o2", 100m), 3, Day(40));
        var late = StageHistory.MarkAt(state, Day(400));

        var early = StageHistory.MarkAt(state, Day(50), previous: late);

        Assert.Equal(new StageMark(3, Day(50), LifecycleStage.Growth, Day(40)), early);
    }

    private static CustomerEvent RandomEvent(Random random, int version) =>
        random.Next(10) switch
        {
            < 5 => Purchase($"o{version}", random.Next(1, 40) * 25m),
            5 => Refund($"o{version - 1}", 10m),
            6 or 7 => Survey($"s{version}", random.Next(1, 6), random.Next(0, 11)),
            8 => Contact($"c{version}", ContactInitiator.Company, ContactPurpose.FollowUp),
            _ => random.Next(2) == 0 ? Ended() : Reactivated(),
        };

    private static CustomerState Evolve(CustomerState state, CustomerEvent @event, long version, DateTimeOffset at) =>
        CustomerDecider.Evolve(state, @event, new EventMoment(version, at));
}
