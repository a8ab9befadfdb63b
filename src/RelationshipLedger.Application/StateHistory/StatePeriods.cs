using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Application.StateHistory;

/// <summary>
/// A customer's whole business timeline cut into <see cref="StatePeriod"/>s, computed with the
/// domain's own rules from its folded state. The stage changes when time passes as well as when events
/// arrive (silence makes a developed customer decline), so the stage history is taken up to the end of
/// time: it holds every transition the known facts already imply, also those after the last event, and
/// after its last transition nothing changes without a new event — hence the open last period.
/// </summary>
public static class StatePeriods
{
    public static IReadOnlyList<StatePeriod> Of(CustomerState state, LifecycleRules rules)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(rules);
        if (!state.IsRegistered)
            return [];
        var registered = state.Registered.At;
        var tiers = TierRules.HistoryAt(state, DateTimeOffset.MaxValue);
        var stages = StageHistory.Of(state, DateTimeOffset.MaxValue, rules);
        // The owner at an instant is the latest assignment by then, ties broken by version (as the overview does).
        var owners = state.Owners.OrderBy(o => o.Moment.At).ThenBy(o => o.Moment.Version).ToArray();

        var starts = new SortedSet<DateTimeOffset> { registered };
        foreach (var tier in tiers)
            starts.Add(Max(tier.From, registered));
        foreach (var stage in stages)
            starts.Add(Max(stage.At, registered));
        foreach (var owner in owners)
            starts.Add(Max(owner.Moment.At, registered));

        // The starts ascend, and so do the three histories: one pass over each finds the latest entry
        // at or before every start (the last of equal instants), where a search per start cost the
        // product of their lengths — thousands of steps a customer, for every batch, once histories grow.
        var periods = new List<StatePeriod>(starts.Count);
        int t = 0,
            s = 0,
            o = -1;
        foreach (var from in starts)
        {
            while (t + 1 < tiers.Count && tiers[t + 1].From <= from)
                t++;
            while (s + 1 < stages.Count && stages[s + 1].At <= from)
                s++;
            while (o + 1 < owners.Length && owners[o + 1].Moment.At <= from)
                o++;
            var (tier, stage, owner) = (tiers[t], stages[s], o >= 0 ? owners[o] : null);
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
            if (periods.Count > 0 && SameValues(periods[^1], period))
                continue;
            if (periods.Count > 0)
                periods[^1] = periods[^1] with { To = from };
            periods.Add(period);
        }
        return periods;
    }

    private static bool SameValues(StatePeriod a, StatePeriod b) => a with { From = b.From, To = b.To } == b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
