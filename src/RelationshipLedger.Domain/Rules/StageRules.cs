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
        new StageEvaluator(new CustomerFacts(state), rules ?? LifecycleRules.Default).StageAt(asOf);
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
        if (DevelopedAt() is { } developed && developed <= asOf && AnyDeclineSignalAt(asOf))
            return LifecycleStage.Decline;
        if (MaturityHolds(asOf))
            return LifecycleStage.Maturity;
        if (GrowthHolds(asOf))
            return LifecycleStage.Growth;
        return LifecycleStage.Cultivation;
    }

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
    private bool AnyDeclineSignalAt(DateTimeOffset asOf) =>
        Recent(asOf) < rules.DeclineRevenueFactor * Previous(asOf)
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

    public bool MaturityHolds(DateTimeOffset asOf) =>
        facts.PurchasesUpTo(asOf) >= rules.MaturityMinimumPurchases
        && asOf - facts.FirstPurchase!.Value >= rules.MaturityMinimumAge
        && Recent(asOf) >= rules.MaturityRevenueFactor * Previous(asOf)
        && facts.MeanOfLastRatings(asOf, rules.MaturityRatingCount) >= rules.MaturityRatingMean;

    public bool GrowthHolds(DateTimeOffset asOf)
    {
        if (facts.PurchasesUpTo(asOf) < rules.GrowthMinimumPurchases)
            return false;
        var recent = Recent(asOf);
        return recent > 0 && (recent >= Previous(asOf) || asOf - facts.FirstPurchase!.Value < rules.Window);
    }

    /// <summary>The first purchase instant at which the Growth or Maturity condition held: from then on the customer "has developed".</summary>
    public DateTimeOffset? DevelopedAt()
    {
        if (_developedComputed)
            return _developedAt;
        _developedComputed = true;
        foreach (var purchasedAt in facts.PurchaseTimes)
        {
            if (GrowthHolds(purchasedAt) || MaturityHolds(purchasedAt))
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
