using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using static RelationshipLedger.Domain.Tests.TestEvents;
using static RelationshipLedger.Domain.Tests.Timeline;

namespace RelationshipLedger.Domain.Tests.Rules;

/// <summary>
/// Facts carried from state to state are extended by the new events, and must answer every question
/// exactly as facts built from the whole state do — whatever the order of the events.
/// </summary>
public sealed class CustomerFactsTests
{
    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(2, 0.0)]
    [InlineData(3, 0.1)] // one event in ten back-dated: the facts are built again from there
    [InlineData(4, 0.3)]
    public void Facts_extended_event_by_event_answer_as_facts_built_from_the_whole_state(int seed, double backDated)
    {
        var random = new Random(seed);
        var state = CustomerDecider.Evolve(CustomerState.Initial, Registered(), new EventMoment(1, Day0));
        var day = 0.0;
        for (var version = 2L; version <= 300; version++)
        {
            day += random.Next(0, 20);
            var at = random.NextDouble() < backDated ? Day(day - random.Next(1, 200)) : Day(day);
            state = CustomerDecider.Evolve(state, RandomEvent(random, version), new EventMoment(version, at));

            var extended = CustomerFacts.Of(state);
            var built = FreshFacts(state);

            Assert.Same(state, extended.State);
            AssertSameAnswers(built, extended, Day(day), random);
        }
    }

    [Theory]
    [InlineData(5, 0.0)]
    [InlineData(6, 0.0)]
    [InlineData(7, 0.1)] // a back-dated event builds the facts anew, and the history is evaluated anew
    public void The_history_to_the_end_of_time_continued_event_by_event_equals_the_history_evaluated_anew(
        int seed,
        double backDated
    )
    {
        var random = new Random(seed);
        var state = CustomerDecider.Evolve(CustomerState.Initial, Registered(), new EventMoment(1, Day0));
        var continued = 0;
        var day = 0.0;
        for (var version = 2L; version <= 300; version++)
        {
            day += random.Next(0, 30);
            var at = random.NextDouble() < backDated ? Day(day - random.Next(1, 200)) : Day(day);
            state = CustomerDecider.Evolve(state, RandomEvent(random, version), new EventMoment(version, at));

            continued += CustomerFacts.Of(state).ExtendedFrom is null ? 0 : 1;
            var history = StageHistory.Of(state, DateTimeOffset.MaxValue);

            Assert.Equal(StageHistory.Of(Fresh(state), DateTimeOffset.MaxValue), history);
        }
        Assert.True(continued > 200, $"Only {continued} of 299 histories were continued.");
    }

    [Fact]
    public void Two_states_evolved_from_one_each_get_their_own_facts()
    {
        var start = Start().On(10, Purchase("o1", 100m)).On(20, Purchase("o2", 100m)).State;
        CustomerFacts.Of(start);

        var early = CustomerDecider.Evolve(start, Purchase("o3", 50m), new EventMoment(4, Day(25)));
        var late = CustomerDecider.Evolve(start, Purchase("o3", 70m), new EventMoment(4, Day(60)));

        Assert.Equal([Day(10), Day(20), Day(25)], CustomerFacts.Of(early).PurchaseTimes);
        Assert.Equal([Day(10), Day(20), Day(60)], CustomerFacts.Of(late).PurchaseTimes);
        Assert.Equal(TimeSpan.FromDays(25), CustomerFacts.Of(late).PurchaseCycleUpTo(Day(60)));
        Assert.Equal(250m, CustomerFacts.Of(early).NetRevenue(Day(0), Day(100)));
        Assert.Equal(270m, CustomerFacts.Of(late).NetRevenue(Day(0), Day(100)));
    }

    [Fact]
    public void A_state_asked_twice_answers_from_the_facts_it_keeps()
    {
        var state = Start().On(10, Purchase("o1", 100m)).State;

        Assert.Same(CustomerFacts.Of(state), CustomerFacts.Of(state));
    }

    private static CustomerEvent RandomEvent(Random random, long version) =>
        random.Next(10) switch
        {
            < 6 => Purchase($"o{version}", random.Next(1, 500)),
            6 => Refund($"o{version - 1}", random.Next(1, 50)),
            7 or 8 => Survey($"s{version}", random.Next(1, 6)),
            _ => version % 2 == 0 ? Ended() : Reactivated(),
        };

    /// <summary>Facts built from <paramref name="state"/>'s lists alone, not from those it carries.</summary>
    private static CustomerFacts FreshFacts(CustomerState state) => CustomerFacts.Of(Fresh(state));

    /// <summary><paramref name="state"/> without the facts it carries.</summary>
    private static CustomerState Fresh(CustomerState state)
    {
        var copy = state with { };
        copy.Facts = null;
        return copy;
    }

    private static readonly TimeSpan Window = LifecycleRules.Default.Window;

    private static void AssertSameAnswers(
        CustomerFacts expected,
        CustomerFacts actual,
        DateTimeOffset now,
        Random random
    )
    {
        Assert.Equal(expected.PurchaseTimes, actual.PurchaseTimes);
        Assert.Equal(expected.RefundTimes, actual.RefundTimes);
        Assert.Equal(expected.StageFactTimes, actual.StageFactTimes);
        Assert.Equal(expected.LongestCycle, actual.LongestCycle);
        Assert.Equal(expected.FirstPurchase, actual.FirstPurchase);
        for (var probe = 0; probe < 5; probe++)
        {
            var at = now.AddDays(-random.Next(0, 400)).AddHours(random.Next(-12, 12));
            var after = at.AddDays(-random.Next(0, 200));
            var counts = expected.CountsAt(at, Window);
            Assert.Equal(counts, actual.CountsAt(at, Window));
            Assert.Equal(expected.NetRevenue(after, at), actual.NetRevenue(after, at));
            Assert.Equal(expected.RecentRevenue(counts), actual.RecentRevenue(counts));
            Assert.Equal(expected.PreviousRevenue(counts), actual.PreviousRevenue(counts));
            Assert.Equal(expected.LastPurchase(counts), actual.LastPurchase(counts));
            Assert.Equal(expected.PurchaseCycleUpTo(at), actual.PurchaseCycleUpTo(at));
            Assert.Equal(expected.MeanOfLastRatings(counts, 2), actual.MeanOfLastRatings(counts, 2));
            Assert.Equal(expected.MaxStageFactVersionUpTo(at), actual.MaxStageFactVersionUpTo(at));
            Assert.Equal(expected.Ended(counts), actual.Ended(counts));
        }
    }
}
