using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using static RelationshipLedger.Domain.Tests.TestEvents;
using static RelationshipLedger.Domain.Tests.Timeline;

namespace RelationshipLedger.Domain.Tests.Rules;

/// <summary>
/// A history evaluates its instants in time order with a <see cref="FactSweep"/>, whose cursors move forward
/// instead of searching: it must count exactly what a binary search counts at every instant, including at the
/// very ticks of facts and of their window boundaries, where a cursor that stops one fact early or late differs.
/// </summary>
public sealed class FactSweepTests
{
    private static readonly LifecycleRules Rules = LifecycleRules.Default;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_sweep_counts_as_binary_search_at_every_boundary_in_time_order(int seed)
    {
        var facts = CustomerFacts.Of(History(new Random(seed)));
        var instants = Boundaries(facts).Order().ToList();
        var sweep = facts.Sweep(Rules.Window);

        foreach (var at in instants)
            Assert.Equal(facts.CountsAt(at, Rules.Window), sweep.CountsAt(at));
    }

    [Fact]
    public void An_instant_earlier_than_the_last_one_is_counted_by_searching_again()
    {
        var random = new Random(4);
        var facts = CustomerFacts.Of(History(random));
        var instants = Boundaries(facts).OrderBy(_ => random.Next()).Take(400).ToList();
        var sweep = facts.Sweep(Rules.Window);

        foreach (var at in instants)
            Assert.Equal(facts.CountsAt(at, Rules.Window), sweep.CountsAt(at));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void The_swept_history_has_the_stage_a_single_evaluation_finds_at_every_boundary(int seed)
    {
        var state = History(new Random(seed));
        var history = StageHistory.Of(state, DateTimeOffset.MaxValue);

        foreach (var at in Boundaries(CustomerFacts.Of(state)).Where(at => at >= state.Registered.At))
        {
            var recorded = history.Last(t => t.At <= at).To;
            Assert.Equal(StageRules.StageAt(state, at), recorded);
        }
    }

    /// <summary>
    /// A history with several facts at each instant (ties on the microsecond), ends and reactivations, refunds and
    /// surveys, over a few years.
    /// </summary>
    private static CustomerState History(Random random)
    {
        var state = CustomerDecider.Evolve(CustomerState.Initial, Registered(), new EventMoment(1, Day0));
        var at = Day0;
        for (var version = 2L; version <= 400; version++)
        {
            if (random.Next(3) > 0)
                at = at.AddDays(random.Next(0, 15)).AddMicroseconds(random.Next(0, 3));
            CustomerEvent @event = random.Next(12) switch
            {
                < 7 => Purchase($"o{version}", random.Next(1, 400)),
                7 => Refund($"o{version - 1}", random.Next(1, 40)),
                8 or 9 => Survey($"s{version}", random.Next(1, 6)),
                _ => version % 2 == 0 ? Ended() : Reactivated(),
            };
            state = CustomerDecider.Evolve(state, @event, new EventMoment(version, at));
        }
        return state;
    }

    /// <summary>Every fact's instant, and the instants whose windows start exactly there, each with its neighbouring microseconds (the resolution of stored instants).</summary>
    private static IEnumerable<DateTimeOffset> Boundaries(CustomerFacts facts) =>
        from times in facts.StageFactTimes
        from time in times
        from shift in new[] { TimeSpan.Zero, Rules.Window, Rules.Window + Rules.Window }
        from tick in new[] { -1, 0, 1 }
        select time + shift + TimeSpan.FromMicroseconds(tick);
}
