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

/// <summary>Evaluates the rules at many instants of one customer, sharing the sorted facts.</summary>
internal sealed class StageEvaluator(CustomerFacts facts, LifecycleRules rules)
{
    private DateTimeOffset? _developedAt;
    private bool _developedComputed;

    public CustomerFacts Facts => facts;

    public LifecycleRules Rules => rules;

    public LifecycleStage StageAt(DateTimeOffset asOf)
    {
        if (facts.EndedAt(asOf))
            return LifecycleStage.Ended;
        var window = WindowAt(asOf);
        if (DevelopedAt() is { } developed && developed <= asOf && AnyDeclineSignalAt(asOf, window))
            return LifecycleStage.Decline;
        if (MaturityHolds(asOf, window))
            return LifecycleStage.Maturity;
        if (GrowthHolds(asOf, window))
            return LifecycleStage.Growth;
        return LifecycleStage.Cultivation;
    }

    /// <summary>The revenue windows and purchase count at an instant, computed once for all conditions.</summary>
    private readonly record struct Window(decimal Recent, decimal Previous, int PurchasesUpTo);

    private Window WindowAt(DateTimeOffset asOf) => new(Recent(asOf), Previous(asOf), facts.PurchasesUpTo(asOf));

    public decimal Recent(DateTimeOffset asOf) => facts.NetRevenue(asOf.Minus(rules.Window), asOf);

    public decimal Previous(DateTimeOffset asOf) =>
        facts.NetRevenue(asOf.Minus(rules.Window + rules.Window), asOf.Minus(rules.Window));

    /// <summary>Which of the decline conditions hold at <paramref name="asOf"/> (whether or not the customer ever developed).</summary>
    public IReadOnlyList<DeclineSignal> DeclineSignalsAt(DateTimeOffset asOf)
    {
        var signals = new List<DeclineSignal>();
        if (Recent(asOf) < rules.DeclineRevenueFactor * Previous(asOf))
            signals.Add(DeclineSignal.RevenueFell);
        if (CycleLengthened(asOf))
            signals.Add(DeclineSignal.PurchaseCycleLengthened);
        if (facts.PurchasesIn(asOf.Minus(rules.Window + rules.Window), asOf) == 0)
            signals.Add(DeclineSignal.NoPurchaseInTwoWindows);
        if (facts.MeanOfLastRatings(asOf, rules.DeclineRatingCount) <= rules.DeclineRatingMean)
            signals.Add(DeclineSignal.LowSatisfaction);
        return signals;
    }

    /// <summary>Whether any decline condition holds at <paramref name="asOf"/>: <see cref="DeclineSignalsAt"/> without building the list.</summary>
    private bool AnyDeclineSignalAt(DateTimeOffset asOf, Window window) =>
        window.Recent < rules.DeclineRevenueFactor * window.Previous
        || CycleLengthened(asOf)
        || facts.PurchasesIn(asOf.Minus(rules.Window + rules.Window), asOf) == 0
        || facts.MeanOfLastRatings(asOf, rules.DeclineRatingCount) <= rules.DeclineRatingMean;

    public bool CycleLengthened(DateTimeOffset asOf)
    {
        if (facts.PurchasesUpTo(asOf) < rules.CycleMinimumPurchases)
            return false;
        var cycle = facts.PurchaseCycleUpTo(asOf)!.Value;
        var sinceLast = asOf - facts.LastPurchaseUpTo(asOf)!.Value;
        return sinceLast.Ticks > rules.CycleLengtheningFactor * cycle.Ticks;
    }

    private bool MaturityHolds(DateTimeOffset asOf, Window window) =>
        window.PurchasesUpTo >= rules.MaturityMinimumPurchases
        && asOf - facts.FirstPurchase!.Value >= rules.MaturityMinimumAge
        && window.Recent >= rules.MaturityRevenueFactor * window.Previous
        && facts.MeanOfLastRatings(asOf, rules.MaturityRatingCount) >= rules.MaturityRatingMean;

    private bool GrowthHolds(DateTimeOffset asOf, Window window) =>
        window.PurchasesUpTo >= rules.GrowthMinimumPurchases
        && window.Recent > 0
        && (window.Recent >= window.Previous || asOf - facts.FirstPurchase!.Value < rules.Window);

    /// <summary>The first purchase instant at which the Growth or Maturity condition held: from then on the customer "has developed".</summary>
    public DateTimeOffset? DevelopedAt()
    {
        if (_developedComputed)
            return _developedAt;
        _developedComputed = true;
        foreach (var purchasedAt in facts.PurchaseTimes)
        {
            var window = WindowAt(purchasedAt);
            if (GrowthHolds(purchasedAt, window) || MaturityHolds(purchasedAt, window))
                return _developedAt = purchasedAt;
        }
        return null;
    }
}

/// <summary>The conditions that, once a customer has developed, make its stage <c>Decline</c>.</summary>
public enum DeclineSignal
{
    RevenueFell,
    PurchaseCycleLengthened,
    NoPurchaseInTwoWindows,
    LowSatisfaction,
}
