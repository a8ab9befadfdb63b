using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Domain.Rules;

/// <summary>The churn early warning (domain.md §2.8): its signals at an instant, and whether an episode is open.</summary>
public static class ChurnRules
{
    /// <summary>
    /// The churn signals of <paramref name="state"/> at <paramref name="asOf"/>; none for an ended
    /// relationship. Low satisfaction counts even before a first purchase.
    /// </summary>
    public static IReadOnlyList<ChurnSignal> SignalsAt(
        CustomerState state,
        DateTimeOffset asOf,
        LifecycleRules? rules = null
    ) => SignalsAt(new StageEvaluator(CustomerFacts.Of(state), rules ?? LifecycleRules.Default), asOf);

    /// <summary>
    /// Whether a flag raised up to <paramref name="asOf"/> still stands: the signals have not been
    /// clear at any instant since it — neither when a fact arrived nor when a window boundary passed —
    /// and are not clear now. A new flag is appended only when none stands.
    /// </summary>
    public static bool EpisodeOpen(CustomerState state, DateTimeOffset asOf, LifecycleRules? rules = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        var flag = state.ChurnFlags.Where(f => f.Moment.At <= asOf).MaxBy(f => (f.Moment.At, f.Moment.Version));
        if (flag is null)
            return false;
        var evaluator = new StageEvaluator(CustomerFacts.Of(state), rules ?? LifecycleRules.Default);
        var sinceFlag = StageHistory
            .FactMoments(state)
            .Select(m => m.At)
            .Concat(StageHistory.TimeBoundaries(evaluator))
            .Where(at => at > flag.Moment.At && at <= asOf);
        return sinceFlag.Append(asOf).All(at => SignalsAt(evaluator, at).Count > 0);
    }

    internal static IReadOnlyList<ChurnSignal> SignalsAt(StageEvaluator evaluator, DateTimeOffset asOf)
    {
        var signals = new List<ChurnSignal>();
        var at = evaluator.CountsAt(asOf);
        if (evaluator.Facts.Ended(at))
            return signals;
        if (evaluator.CycleLengthened(asOf, at))
            signals.Add(ChurnSignal.PurchaseCycleLengthening);
        if (evaluator.RevenueFell(at))
            signals.Add(ChurnSignal.VolumeHalved);
        if (evaluator.LowSatisfaction(at))
            signals.Add(ChurnSignal.LowSatisfaction);
        return signals;
    }
}
