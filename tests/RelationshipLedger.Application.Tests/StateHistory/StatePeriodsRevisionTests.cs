using RelationshipLedger.Application.StateHistory;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using static RelationshipLedger.Domain.Customers.CustomerEvent;

namespace RelationshipLedger.Application.Tests.StateHistory;

/// <summary>
/// How the state history cuts a customer's periods. The premise of its revision from an instant (docs/projections.md): new events change
/// no period that ended before the earliest of their instants. Random histories, some events back-dated,
/// grow by batches of one to three events; after each batch the periods of the earlier state that ended
/// before that instant must be periods of the new one, unchanged.
/// </summary>
public sealed class StatePeriodsRevisionTests
{
    private static readonly DateTimeOffset Day0 = new(2023, 1, 2, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(11, 0.0)]
    [InlineData(12, 0.1)]
    [InlineData(13, 0.3)]
    public void Periods_that_ended_before_a_batchs_earliest_event_stand_unchanged(int seed, double backDated)
    {
        var random = new Random(seed);
        var state = Evolve(
            CustomerState.Initial,
            new CustomerRegistered("Revised", CustomerKind.Organization),
            1,
            Day0
        );
        var day = 0.0;
        var version = 1L;
        var periodsKept = 0;
        for (var batch = 0; batch < 150; batch++)
        {
            var before = StatePeriods.Of(state, LifecycleRules.Default);
            var earliest = DateTimeOffset.MaxValue;
            for (var n = random.Next(1, 4); n > 0; n--)
            {
                day += random.Next(0, 25);
                var at = random.NextDouble() < backDated ? Day0.AddDays(day - random.Next(1, 300)) : Day0.AddDays(day);
                at = at.AddTicks(random.Next(0, 10_000_000));
                version++;
                state = Evolve(state, RandomEvent(random, version), version, at);
                earliest = at < earliest ? at : earliest;
            }
            var after = StatePeriods.Of(state, LifecycleRules.Default).ToHashSet();

            foreach (var period in before.Where(p => p.To < earliest))
            {
                Assert.Contains(period, after);
                periodsKept++;
            }
        }
        Assert.True(periodsKept > 1000, $"Only {periodsKept} earlier periods were checked.");
    }

    /// <summary>
    /// The periods are cut in one pass over the tier, stage and owner histories; they must equal periods
    /// cut by searching each history for the latest entry at or before every start (the first version).
    /// </summary>
    [Theory]
    [InlineData(21, 0.0)]
    [InlineData(22, 0.3)]
    public void Periods_cut_in_one_pass_equal_periods_cut_by_searching_each_history(int seed, double backDated)
    {
        var random = new Random(seed);
        var state = Evolve(CustomerState.Initial, new CustomerRegistered("Cut", CustomerKind.Organization), 1, Day0);
        var day = 0.0;
        for (var version = 2L; version <= 400; version++)
        {
            day += random.Next(0, 25);
            var at = random.NextDouble() < backDated ? Day0.AddDays(day - random.Next(1, 300)) : Day0.AddDays(day);
            state = Evolve(state, RandomEvent(random, version), version, at);
            if (version % 20 == 0)
                Assert.Equal(Searched(state), StatePeriods.Of(state, LifecycleRules.Default));
        }
    }

    /// <summary>The periods as the first version cut them: a search of each history at every start.</summary>
    private static List<StatePeriod> Searched(CustomerState state)
    {
        var registered = state.Registered.At;
        var tiers = TierRules.HistoryAt(state, DateTimeOffset.MaxValue);
        var stages = StageHistory.Of(state, DateTimeOffset.MaxValue);
        var owners = state.Owners.OrderBy(o => o.Moment.At).ThenBy(o => o.Moment.Version).ToArray();
        var starts = new SortedSet<DateTimeOffset>(
            tiers
                .Select(t => t.From)
                .Concat(stages.Select(s => s.At))
                .Concat(owners.Select(o => o.Moment.At))
                .Select(at => at > registered ? at : registered)
        )
        {
            registered,
        };
        var periods = new List<StatePeriod>();
        foreach (var from in starts)
        {
            var tier = tiers.Last(t => t.From <= from);
            var stage = stages.Last(s => s.At <= from);
            var owner = owners.LastOrDefault(o => o.Moment.At <= from);
            var period = new StatePeriod(
                from,
                null,
                tier.Tier,
                tier.From,
                stage.To,
                stage.At,
                owner?.OwnerId,
                owner?.Moment.At
            );
            if (periods.Count > 0 && periods[^1] with { From = from, To = null } == period)
                continue;
            if (periods.Count > 0)
                periods[^1] = periods[^1] with { To = from };
            periods.Add(period);
        }
        return periods;
    }

    private static CustomerState Evolve(CustomerState state, CustomerEvent @event, long version, DateTimeOffset at) =>
        CustomerDecider.Evolve(state, @event, new EventMoment(version, at));

    private static CustomerEvent RandomEvent(Random random, long version) =>
        random.Next(12) switch
        {
            < 5 => new PurchaseRecorded($"o{version}", random.Next(1, 900), "EUR"),
            5 => new PurchaseRefunded($"o{version - 1}", random.Next(1, 50), "returned"),
            6 or 7 => new SatisfactionSurveyed($"s{version}", random.Next(1, 6)),
            8 => new TierChanged(
                RelationshipTier.Transactional,
                (RelationshipTier)random.Next(0, 4),
                "review",
                "board"
            ),
            9 => new AccountOwnerAssigned($"owner-{random.Next(0, 3)}", "rotation"),
            _ => version % 2 == 0
                ? new RelationshipEnded(EndCause.Competitor)
                : new RelationshipReactivated("won back"),
        };
}
