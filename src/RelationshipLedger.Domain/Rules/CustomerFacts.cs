using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Domain.Rules;

/// <summary>
/// A customer's facts sorted by business time, ready to answer the rules at any instant: revenue
/// windows, purchase count and cycle, the latest ratings, the lifecycle status.
/// <para>
/// <see cref="Of"/> keeps them on the state. A state evolved from one that has facts carries those
/// (a record's <c>with</c> copies them) and, when its purchases, refunds and surveys only grew at
/// their end and in time order, extends them by the new facts instead of sorting all of them again:
/// appending to a customer with a long history costs the new event, not the history. Facts are
/// extended at most once; a second state evolved from the same one builds its own.
/// </para>
/// </summary>
internal sealed partial class CustomerFacts
{
    private readonly TimeSeries _purchases;
    private readonly TimeSeries _refunds;
    private readonly TimeSeries _ratings;
    private readonly LifecycleFact[] _lifecycle;
    private readonly long[] _lifecycleTicks;
    private readonly TimeSeries _lifecycles;
    private readonly PurchaseCycles _cycles;
    private int _extended;

    private CustomerFacts(
        CustomerState state,
        TimeSeries purchases,
        TimeSeries refunds,
        TimeSeries ratings,
        PurchaseCycles cycles
    )
    {
        State = state;
        _purchases = purchases;
        _refunds = refunds;
        _ratings = ratings;
        _cycles = cycles;
        // Lifecycle events are one per end or reactivation: sorted afresh each time.
        _lifecycle = [.. state.Lifecycle.OrderBy(l => l.Moment.At).ThenBy(l => l.Moment.Version)];
        _lifecycles = TimeSeries.Of(_lifecycle.Select(l => (l.Moment.At, 0m, l.Moment.Version)));
        _lifecycleTicks = [.. _lifecycle.Select(l => l.Moment.At.UtcTicks)];
    }

    /// <summary>
    /// The stage history to the end of time under some rules, once evaluated on these facts
    /// (<see cref="StageHistory"/> keeps it here).
    /// </summary>
    public EndOfTimeHistory? History { get; set; }

    /// <summary>
    /// The end-of-time history of the facts these were extended from, and the earliest instant of a stage
    /// fact added since (<see cref="DateTimeOffset.MaxValue"/> when none was): before that instant the
    /// history still holds. Let go once these facts have a <see cref="History"/> of their own.
    /// </summary>
    public EarlierHistory? ExtendedFrom { get; set; }

    /// <summary>The facts of <paramref name="state"/>: kept on it, extended from those it carries, or built.</summary>
    public static CustomerFacts Of(CustomerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Facts is { } carried && ReferenceEquals(carried.State, state))
            return carried;
        var facts = state.Facts?.TryExtendTo(state) ?? Built(state);
        state.Facts = facts;
        return facts;
    }

    private static CustomerFacts Built(CustomerState state)
    {
        var purchases = TimeSeries.Of(Points(state.Purchases.AsSpan()));
        return new CustomerFacts(
            state,
            purchases,
            TimeSeries.Of(Points(state.Refunds.AsSpan())),
            TimeSeries.Of(Points(state.Surveys.AsSpan()).OrderBy(p => p.At).ThenBy(p => p.Version)),
            PurchaseCycles.Of(purchases.Times)
        );
    }

    /// <summary>
    /// These facts extended to <paramref name="later"/>, or null when <paramref name="later"/> is not
    /// these facts' state with purchases, refunds and surveys added after all earlier ones, or when
    /// these facts have been extended already.
    /// </summary>
    private CustomerFacts? TryExtendTo(CustomerState later)
    {
        if (
            !later.Purchases.Extends(State.Purchases)
            || !later.Refunds.Extends(State.Refunds)
            || !later.Surveys.Extends(State.Surveys)
        )
            return null;
        var purchases = Points(later.Purchases.AsSpan()[_purchases.Count..]);
        var refunds = Points(later.Refunds.AsSpan()[_refunds.Count..]);
        var ratings = Points(later.Surveys.AsSpan()[_ratings.Count..]);
        if (
            !InOrderAfter(_purchases, purchases)
            || !InOrderAfter(_refunds, refunds)
            || !InOrderAfter(_ratings, ratings)
        )
            return null;
        if (Interlocked.Exchange(ref _extended, 1) == 1)
            return null;
        var extendedPurchases = _purchases.Extended(purchases);
        return new CustomerFacts(
            later,
            extendedPurchases,
            _refunds.Extended(refunds),
            _ratings.Extended(ratings),
            _cycles.Extended(extendedPurchases.Times)
        )
        {
            ExtendedFrom =
                History is { } history && later.Lifecycle.Extends(State.Lifecycle)
                    ? new EarlierHistory(
                        history,
                        EarliestOf([purchases, refunds, ratings], later.Lifecycle.AsSpan()[State.Lifecycle.Count..])
                    )
                    : null,
        };
    }

    private static DateTimeOffset EarliestOf(
        (DateTimeOffset At, decimal Amount, long Version)[][] series,
        ReadOnlySpan<LifecycleFact> lifecycle
    )
    {
        var earliest = DateTimeOffset.MaxValue;
        foreach (var points in series)
            earliest = points.Length > 0 && points[0].At < earliest ? points[0].At : earliest;
        foreach (var fact in lifecycle)
            earliest = fact.Moment.At < earliest ? fact.Moment.At : earliest;
        return earliest;
    }

    private static bool InOrderAfter(TimeSeries series, (DateTimeOffset At, decimal Amount, long Version)[] points)
    {
        for (var i = 0; i < points.Length; i++)
        {
            var before = i == 0 ? series.Precedes((points[0].At, points[0].Version)) : Before(points[i - 1], points[i]);
            if (!before)
                return false;
        }
        return true;
    }

    private static bool Before(
        (DateTimeOffset At, decimal, long Version) first,
        (DateTimeOffset At, decimal, long Version) second
    ) => (first.At.UtcTicks, first.Version).CompareTo((second.At.UtcTicks, second.Version)) < 0;

    private static (DateTimeOffset At, decimal Amount, long Version)[] Points(ReadOnlySpan<RevenueFact> facts)
    {
        var points = new (DateTimeOffset, decimal, long)[facts.Length];
        for (var i = 0; i < facts.Length; i++)
            points[i] = (facts[i].Moment.At, facts[i].Amount, facts[i].Moment.Version);
        return points;
    }

    private static (DateTimeOffset At, decimal Amount, long Version)[] Points(ReadOnlySpan<SurveyFact> surveys)
    {
        var points = new (DateTimeOffset, decimal, long)[surveys.Length];
        for (var i = 0; i < surveys.Length; i++)
            points[i] = (surveys[i].Moment.At, surveys[i].Rating, surveys[i].Moment.Version);
        return points;
    }

    /// <summary>The longest purchase cycle at any purchase count: bounds how far after a purchase its cycle boundary lies.</summary>
    public TimeSpan LongestCycle => _cycles.Longest;

    /// <summary>The instants of the stage facts (purchases, refunds, surveys, lifecycle events), each series sorted.</summary>
    public IEnumerable<IReadOnlyList<DateTimeOffset>> StageFactTimes =>
        [_purchases.Times, _refunds.Times, _ratings.Times, _lifecycles.Times];

    /// <summary>The highest version among the stage facts that happened exactly at <paramref name="instant"/>, or null.</summary>
    public long? MaxStageFactVersionAt(DateTimeOffset instant)
    {
        long? highest = null;
        foreach (var series in new[] { _purchases, _refunds, _ratings, _lifecycles })
            if (series.MaxVersionAt(instant) is { } version && version > (highest ?? long.MinValue))
                highest = version;
        return highest;
    }

    /// <summary>The highest version among the stage facts that happened at or before <paramref name="instant"/>.</summary>
    public long MaxStageFactVersionUpTo(DateTimeOffset instant) =>
        Math.Max(
            Math.Max(_purchases.MaxVersionUpTo(instant), _refunds.MaxVersionUpTo(instant)),
            Math.Max(_ratings.MaxVersionUpTo(instant), _lifecycles.MaxVersionUpTo(instant))
        );

    public CustomerState State { get; }

    public IReadOnlyList<DateTimeOffset> PurchaseTimes => _purchases.Times;

    public IReadOnlyList<DateTimeOffset> RefundTimes => _refunds.Times;

    /// <summary>Purchases minus refunds in (<paramref name="after"/>, <paramref name="upTo"/>].</summary>
    public decimal NetRevenue(DateTimeOffset after, DateTimeOffset upTo) =>
        _purchases.SumIn(after, upTo) - _refunds.SumIn(after, upTo);

    public int PurchasesUpTo(DateTimeOffset instant) => _purchases.CountUpTo(instant);

    public DateTimeOffset? FirstPurchase => _purchases.Count > 0 ? _purchases.Times[0] : null;

    /// <summary>The median interval between consecutive purchases up to <paramref name="instant"/> (mean of the middle two for an even count).</summary>
    public TimeSpan? PurchaseCycleUpTo(DateTimeOffset instant) => _cycles.AtCount(PurchasesUpTo(instant));
}

/// <summary>A customer's stage history to the end of time, and the rules it was evaluated under.</summary>
internal sealed record EndOfTimeHistory(LifecycleRules Rules, IReadOnlyList<StageTransition> Transitions);

/// <summary>
/// The history of earlier facts, and the earliest instant of a stage fact added since. A class, so that
/// facts shared between threads swap it whole.
/// </summary>
internal sealed record EarlierHistory(EndOfTimeHistory History, DateTimeOffset ChangedFrom);
