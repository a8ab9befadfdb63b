using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Domain.Rules;

/// <summary>
/// The lifecycle stage as a pure function of a customer's facts and an instant (domain.md §2.3):
/// the same answer whether computed inline, after a rebuild, or time-travelled.
/// </summary>
public static class StageRules
{
    /// <summary>The stage of <paramref name="state"/> at <paramref name="asOf"/>, counting only facts up to then.</summary>
    public static LifecycleStage StageAt(CustomerState state, DateTimeOffset asOf, LifecycleRules? rules = null) =>
        new StageEvaluator(CustomerFacts.Of(state), rules ?? LifecycleRules.Default).StageAt(asOf);
}

/// <summary>
/// Evaluates the rules at many instants of one customer, sharing the sorted facts. Every rule reads the
/// facts at the instant's <see cref="FactCounts"/>: found by binary search for one instant, or by a
/// <see cref="FactSweep"/> when a history evaluates instants in time order.
/// </summary>
internal sealed class StageEvaluator(CustomerFacts facts, LifecycleRules rules)
{
    private DateTimeOffset? _developedAt;
    private bool _developedComputed;

    public CustomerFacts Facts => facts;

    public LifecycleRules Rules => rules;

    /// <summary>The counts the rules read at <paramref name="asOf"/>, by binary search.</summary>
    public FactCounts CountsAt(DateTimeOffset asOf) => facts.CountsAt(asOf, rules.Window);

    /// <summary>A sweep of the counts for instants in time order.</summary>
    public FactSweep Sweep() => facts.Sweep(rules.Window);

    public LifecycleStage StageAt(DateTimeOffset asOf) => StageAt(asOf, CountsAt(asOf));

    /// <summary>The stage at <paramref name="asOf"/>, whose counts are <paramref name="at"/>.</summary>
    public LifecycleStage StageAt(DateTimeOffset asOf, in FactCounts at)
    {
        if (facts.Ended(at))
            return LifecycleStage.Ended;
        var window = WindowAt(at);
        if (DevelopedAt() is { } developed && developed <= asOf && AnyDeclineSignalAt(asOf, at, window))
            return LifecycleStage.Decline;
        if (MaturityHolds(asOf, at, window))
            return LifecycleStage.Maturity;
        if (GrowthHolds(asOf, at, window))
            return LifecycleStage.Growth;
        return LifecycleStage.Cultivation;
    }

    /// <summary>The revenue of the recent and the previous window, computed once for all conditions.</summary>
    private readonly record struct Window(decimal Recent, decimal Previous);

    private Window WindowAt(in FactCounts at) => new(facts.RecentRevenue(at), facts.PreviousRevenue(at));

    /// <summary>Whether any of the decline conditions holds at <paramref name="asOf"/> (whether or not the customer ever developed).</summary>
    private bool AnyDeclineSignalAt(DateTimeOffset asOf, in FactCounts at, Window window) =>
        RevenueFell(window) || CycleLengthened(asOf, at) || at.PurchasesInTwoWindows == 0 || LowSatisfaction(at);

    /// <summary>Recent revenue below <see cref="LifecycleRules.DeclineRevenueFactor"/> × the previous window's.</summary>
    public bool RevenueFell(in FactCounts at) => RevenueFell(WindowAt(at));

    private bool RevenueFell(Window window) => window.Recent < rules.DeclineRevenueFactor * window.Previous;

    /// <summary>The mean of the last ratings at most <see cref="LifecycleRules.DeclineRatingMean"/>.</summary>
    public bool LowSatisfaction(in FactCounts at) =>
        facts.MeanOfLastRatings(at, rules.DeclineRatingCount) <= rules.DeclineRatingMean;

    public bool CycleLengthened(DateTimeOffset asOf, in FactCounts at)
    {
        if (at.Purchases < rules.CycleMinimumPurchases)
            return false;
        var cycle = facts.PurchaseCycle(at)!.Value;
        var sinceLast = asOf - facts.LastPurchase(at)!.Value;
        return sinceLast.Ticks > rules.CycleLengtheningFactor * cycle.Ticks;
    }

    private bool MaturityHolds(DateTimeOffset asOf, in FactCounts at, Window window) =>
        at.Purchases >= rules.MaturityMinimumPurchases
        && asOf - facts.FirstPurchase!.Value >= rules.MaturityMinimumAge
        && window.Recent >= rules.MaturityRevenueFactor * window.Previous
        && facts.MeanOfLastRatings(at, rules.MaturityRatingCount) >= rules.MaturityRatingMean;

    private bool GrowthHolds(DateTimeOffset asOf, in FactCounts at, Window window) =>
        at.Purchases >= rules.GrowthMinimumPurchases
        && window.Recent > 0
        && (window.Recent >= window.Previous || asOf - facts.FirstPurchase!.Value < rules.Window);

    /// <summary>The first purchase instant at which the Growth or Maturity condition held: from then on the customer "has developed".</summary>
    public DateTimeOffset? DevelopedAt()
    {
        if (_developedComputed)
            return _developedAt;
        _developedComputed = true;
        var sweep = Sweep();
        foreach (var purchasedAt in facts.PurchaseTimes)
        {
            var at = sweep.CountsAt(purchasedAt);
            var window = WindowAt(at);
            if (GrowthHolds(purchasedAt, at, window) || MaturityHolds(purchasedAt, at, window))
                return _developedAt = purchasedAt;
        }
        return null;
    }
}
