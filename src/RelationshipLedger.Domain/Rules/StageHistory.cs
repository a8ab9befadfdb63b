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
        return Of(new StageEvaluator(CustomerFacts.Of(state), rules ?? LifecycleRules.Default), until);
    }

    /// <summary>
    /// The stage history up to <paramref name="until"/>, with the facts already sorted in <paramref name="evaluator"/>.
    /// The history to the end of time is kept with the facts; facts extended from others that had it
    /// continue it from the earliest new fact (<see cref="Continued"/>).
    /// </summary>
    internal static IReadOnlyList<StageTransition> Of(StageEvaluator evaluator, DateTimeOffset until)
    {
        var state = evaluator.Facts.State;
        if (!state.IsRegistered || until < state.Registered.At)
            return [];
        if (until != DateTimeOffset.MaxValue)
            return Evaluated(evaluator, until);
        var facts = evaluator.Facts;
        if (facts.History is { } kept && kept.Rules == evaluator.Rules)
            return kept.Transitions;
        var history =
            facts.ExtendedFrom is { } earlier
            && earlier.History.Rules == evaluator.Rules
            && earlier.ChangedFrom > state.Registered.At
                ? Continued(evaluator, earlier.History.Transitions, earlier.ChangedFrom)
                : Evaluated(evaluator, until);
        facts.History = new EndOfTimeHistory(evaluator.Rules, history.AsReadOnly());
        facts.ExtendedFrom = null;
        return facts.History.Transitions;
    }

    /// <summary>
    /// The history to the end of time of facts whose stage facts before <paramref name="changedFrom"/> are
    /// those <paramref name="earlier"/> was evaluated on: the stage at an instant depends only on the facts up
    /// to it, so the transitions before <paramref name="changedFrom"/> stand, and only the instants from
    /// there on are evaluated (<see cref="InstantsBetween"/>) — not the whole history again.
    /// </summary>
    private static List<StageTransition> Continued(
        StageEvaluator evaluator,
        IReadOnlyList<StageTransition> earlier,
        DateTimeOffset changedFrom
    )
    {
        var history = earlier.TakeWhile(t => t.At < changedFrom).ToList();
        var instants = InstantsBetween(evaluator, changedFrom.AddTicks(-1), DateTimeOffset.MaxValue);
        AddTransitions(evaluator, history, instants);
        return history;
    }

    /// <summary>The stage history up to <paramref name="until"/>, every fact instant and time boundary evaluated.</summary>
    private static List<StageTransition> Evaluated(StageEvaluator evaluator, DateTimeOffset until)
    {
        var state = evaluator.Facts.State;
        var instants = new List<DateTimeOffset>();
        foreach (var at in FactMoments(state).Select(m => m.At).Concat(TimeBoundaries(evaluator)))
        {
            if (at > state.Registered.At && at <= until)
                instants.Add(at);
        }
        List<StageTransition> history =
        [
            new(null, evaluator.StageAt(state.Registered.At), state.Registered.At, state.Registered.Version),
        ];
        AddTransitions(evaluator, history, instants);
        return history;
    }

    /// <summary>
    /// Adds to <paramref name="history"/> a transition at each of <paramref name="instants"/> (sorted here)
    /// where the stage changes, caused by the stage facts at that very instant when there are any. The
    /// instants are evaluated in time order with one <see cref="FactSweep"/>.
    /// </summary>
    private static void AddTransitions(
        StageEvaluator evaluator,
        List<StageTransition> history,
        List<DateTimeOffset> instants
    )
    {
        instants.Sort();
        var sweep = evaluator.Sweep();
        var current = history[^1].To;
        for (var i = 0; i < instants.Count; i++)
        {
            var at = instants[i];
            if (i > 0 && at == instants[i - 1])
                continue;
            var stage = evaluator.StageAt(at, sweep.CountsAt(at));
            if (stage == current)
                continue;
            history.Add(new StageTransition(current, stage, at, evaluator.Facts.MaxStageFactVersionAt(at)));
            current = stage;
        }
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
        return MarkAt(new StageEvaluator(CustomerFacts.Of(state), rules ?? LifecycleRules.Default), until, previous);
    }

    internal static StageMark MarkAt(StageEvaluator evaluator, DateTimeOffset until, StageMark? previous)
    {
        var state = evaluator.Facts.State;
        if (previous is null || !CanContinue(evaluator, until, previous))
        {
            var history = Of(evaluator, until);
            return history.Count == 0
                ? new StageMark(state.Version, until, LifecycleStage.Cultivation, state.Registered.At)
                : new StageMark(state.Version, until, history[^1].To, history[^1].At);
        }
        var instants = InstantsBetween(evaluator, previous.EvaluatedAt, until);
        instants.Sort();
        var sweep = evaluator.Sweep();
        var (stage, since) = (previous.Stage, previous.Since);
        foreach (var at in instants)
        {
            var stageThen = evaluator.StageAt(at, sweep.CountsAt(at));
            if (stageThen != stage)
                (stage, since) = (stageThen, at);
        }
        return new StageMark(state.Version, until, stage, since);
    }

    /// <summary>
    /// Whether the state only added stage facts after <paramref name="previous"/>'s instant: no fact at or
    /// before that instant has a version the mark did not cover. One binary search per fact series.
    /// </summary>
    private static bool CanContinue(StageEvaluator evaluator, DateTimeOffset until, StageMark previous)
    {
        var state = evaluator.Facts.State;
        return state.IsRegistered
            && previous.Version <= state.Version
            && previous.EvaluatedAt <= until
            && previous.EvaluatedAt >= state.Registered.At
            && evaluator.Facts.MaxStageFactVersionUpTo(previous.EvaluatedAt) <= previous.Version;
    }

    /// <summary>
    /// The fact instants and time boundaries in (<paramref name="after"/>, <paramref name="until"/>], found
    /// by binary search in the sorted facts: the same instants <see cref="FactMoments"/> and
    /// <see cref="TimeBoundaries"/> give in that interval, without enumerating the whole history.
    /// </summary>
    private static List<DateTimeOffset> InstantsBetween(
        StageEvaluator evaluator,
        DateTimeOffset after,
        DateTimeOffset until
    )
    {
        var rules = evaluator.Rules;
        var facts = evaluator.Facts;
        var instants = new List<DateTimeOffset>();
        void AddFrom(IReadOnlyList<DateTimeOffset> sorted, TimeSpan shift)
        {
            for (var i = FirstWhere(sorted, at => at.Plus(shift) > after); i < sorted.Count; i++)
            {
                var at = sorted[i].Plus(shift);
                if (at > until)
                    break;
                instants.Add(at);
            }
        }
        foreach (var times in facts.StageFactTimes)
            AddFrom(times, TimeSpan.Zero);
        foreach (var times in new[] { facts.PurchaseTimes, facts.RefundTimes })
        {
            AddFrom(times, rules.Window);
            AddFrom(times, rules.Window + rules.Window);
        }
        if (facts.FirstPurchase is { } first)
        {
            foreach (var at in new[] { first.Plus(rules.Window), first.Plus(rules.MaturityMinimumAge) })
            {
                if (at > after && at <= until)
                    instants.Add(at);
            }
        }
        // A cycle boundary lies at most the longest cycle (lengthened) after its purchase: earlier
        // purchases cannot have one after `after`.
        var purchases = facts.PurchaseTimes;
        var reach = TimeSpan.FromTicks((long)(rules.CycleLengtheningFactor * facts.LongestCycle.Ticks));
        var firstCount = FirstWhere(purchases, at => at.Plus(reach + Instants.Resolution) > after) + 1;
        for (var count = Math.Max(rules.CycleMinimumPurchases, firstCount); count <= purchases.Count; count++)
        {
            var at = CycleBoundary(evaluator, count);
            if (at > after && at <= until)
                instants.Add(at);
        }
        return instants;
    }

    /// <summary>The first index of <paramref name="sorted"/> where the monotone <paramref name="holds"/> is true.</summary>
    private static int FirstWhere(IReadOnlyList<DateTimeOffset> sorted, Func<DateTimeOffset, bool> holds)
    {
        int low = 0,
            high = sorted.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (holds(sorted[middle]))
                high = middle;
            else
                low = middle + 1;
        }
        return low;
    }

    /// <summary>When the purchase cycle after the <paramref name="count"/>-th purchase counts as exceeded.</summary>
    private static DateTimeOffset CycleBoundary(StageEvaluator evaluator, int count)
    {
        var last = evaluator.Facts.PurchaseTimes[count - 1];
        var cycle = evaluator.Facts.PurchaseCycleUpTo(last)!.Value;
        var exceeded = TimeSpan.FromTicks((long)(evaluator.Rules.CycleLengtheningFactor * cycle.Ticks));
        return last.Plus(exceeded + Instants.Resolution);
    }

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
            yield return CycleBoundary(evaluator, count);
    }
}
