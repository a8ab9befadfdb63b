using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Domain.Rules;

/// <summary>A change of lifecycle stage: when, and the event that caused it (null when only time passed).</summary>
public sealed record StageTransition(LifecycleStage? From, LifecycleStage To, DateTimeOffset At, long? CausedByVersion);

/// <summary>
/// The lifecycle stage over time. The stage changes only when a fact arrives (a purchase, refund,
/// survey, end or reactivation) or when a window boundary passes (a fact leaving the recent or the
/// previous window, the first purchase turning a year old, the purchase cycle being exceeded); the
/// history evaluates the stage at exactly those instants, so every transition has its true instant.
/// </summary>
public static class StageHistory
{
    public static IReadOnlyList<StageTransition> Of(
        CustomerState state,
        DateTimeOffset until,
        LifecycleRules? rules = null
    )
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.IsRegistered || until < state.Registered.At)
            return [];
        return Of(new StageEvaluator(new CustomerFacts(state), rules ?? LifecycleRules.Default), until);
    }

    /// <summary>The stage history up to <paramref name="until"/>, with the facts already sorted in <paramref name="evaluator"/>.</summary>
    internal static IReadOnlyList<StageTransition> Of(StageEvaluator evaluator, DateTimeOffset until)
    {
        var state = evaluator.Facts.State;
        if (!state.IsRegistered || until < state.Registered.At)
            return [];
        var causes = new Dictionary<DateTimeOffset, long>();
        foreach (var moment in FactMoments(state))
        {
            if (!causes.TryGetValue(moment.At, out var version) || moment.Version > version)
                causes[moment.At] = moment.Version;
        }
        var instants = new List<DateTimeOffset>(causes.Count * 3);
        foreach (var at in causes.Keys.Concat(TimeBoundaries(evaluator)))
        {
            if (at > state.Registered.At && at <= until)
                instants.Add(at);
        }
        instants.Sort();

        var history = new List<StageTransition>();
        var current = evaluator.StageAt(state.Registered.At);
        history.Add(new StageTransition(null, current, state.Registered.At, state.Registered.Version));
        for (var i = 0; i < instants.Count; i++)
        {
            var at = instants[i];
            if (i > 0 && at == instants[i - 1])
                continue;
            var stage = evaluator.StageAt(at);
            if (stage == current)
                continue;
            history.Add(
                new StageTransition(current, stage, at, causes.TryGetValue(at, out var version) ? version : null)
            );
            current = stage;
        }
        return history;
    }

    /// <summary>
    /// The stage at <paramref name="until"/> and since when. When <paramref name="previous"/> was
    /// evaluated on an earlier version of the same stream with the same rules, and every stage fact
    /// added since lies after its instant, nothing before that instant has changed: only the instants
    /// between it and <paramref name="until"/> are evaluated. Otherwise the whole history is.
    /// </summary>
    public static StageMark MarkAt(
        CustomerState state,
        DateTimeOffset until,
        LifecycleRules? rules = null,
        StageMark? previous = null
    )
    {
        ArgumentNullException.ThrowIfNull(state);
        return MarkAt(new StageEvaluator(new CustomerFacts(state), rules ?? LifecycleRules.Default), until, previous);
    }

    internal static StageMark MarkAt(StageEvaluator evaluator, DateTimeOffset until, StageMark? previous)
    {
        var state = evaluator.Facts.State;
        if (previous is null || !CanContinue(state, until, previous))
        {
            var history = Of(evaluator, until);
            return history.Count == 0
                ? new StageMark(state.Version, until, LifecycleStage.Cultivation, state.Registered.At)
                : new StageMark(state.Version, until, history[^1].To, history[^1].At);
        }
        var after = previous.EvaluatedAt;
        var instants = FactMoments(state)
            .Select(m => m.At)
            .Concat(TimeBoundaries(evaluator))
            .Where(at => at > after && at <= until)
            .ToList();
        instants.Sort();
        var (stage, since) = (previous.Stage, previous.Since);
        foreach (var at in instants)
        {
            var stageThen = evaluator.StageAt(at);
            if (stageThen != stage)
                (stage, since) = (stageThen, at);
        }
        return new StageMark(state.Version, until, stage, since);
    }

    /// <summary>Whether <paramref name="state"/> only added stage facts after <paramref name="previous"/>'s instant.</summary>
    private static bool CanContinue(CustomerState state, DateTimeOffset until, StageMark previous) =>
        state.IsRegistered
        && previous.Version <= state.Version
        && previous.EvaluatedAt <= until
        && previous.EvaluatedAt >= state.Registered.At
        && FactMoments(state).All(m => m.Version <= previous.Version || m.At > previous.EvaluatedAt);

    /// <summary>The events the stage depends on, with their instants and versions.</summary>
    internal static IEnumerable<EventMoment> FactMoments(CustomerState state) =>
        state
            .Purchases.Select(p => p.Moment)
            .Concat(state.Refunds.Select(r => r.Moment))
            .Concat(state.Surveys.Select(s => s.Moment))
            .Concat(state.Lifecycle.Select(l => l.Moment));

    /// <summary>Every instant at which passing time alone can change an input of the rules.</summary>
    internal static IEnumerable<DateTimeOffset> TimeBoundaries(StageEvaluator evaluator)
    {
        var rules = evaluator.Rules;
        var facts = evaluator.Facts;
        foreach (var at in facts.PurchaseTimes.Concat(facts.RefundTimes))
        {
            yield return at.Plus(rules.Window);
            yield return at.Plus(rules.Window + rules.Window);
        }
        if (facts.FirstPurchase is { } first)
        {
            yield return first.Plus(rules.Window);
            yield return first.Plus(rules.MaturityMinimumAge);
        }
        for (var count = rules.CycleMinimumPurchases; count <= facts.PurchaseTimes.Count; count++)
        {
            var last = facts.PurchaseTimes[count - 1];
            var cycle = facts.PurchaseCycleUpTo(last)!.Value;
            var exceeded = TimeSpan.FromTicks((long)(rules.CycleLengtheningFactor * cycle.Ticks));
            yield return last.Plus(exceeded + Instants.Resolution);
        }
    }
}
