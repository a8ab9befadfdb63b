using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Domain.Rules;

/// <summary>
/// A customer's facts sorted by business time, ready to answer the rules at any instant: revenue
/// windows, purchase count and cycle, the latest ratings, the lifecycle status. Built once per state.
/// </summary>
internal sealed class CustomerFacts
{
    private readonly TimeSeries _purchases;
    private readonly TimeSeries _refunds;
    private readonly TimeSeries _ratings;
    private readonly LifecycleFact[] _lifecycle;
    private readonly long[] _lifecycleTicks;
    private readonly TimeSpan?[] _cycleByCount;

    public CustomerFacts(CustomerState state)
    {
        State = state;
        _purchases = new TimeSeries(state.Purchases.Select(p => (p.Moment.At, p.Amount, p.Moment.Version)));
        _refunds = new TimeSeries(state.Refunds.Select(r => (r.Moment.At, r.Amount, r.Moment.Version)));
        _ratings = new TimeSeries(
            state
                .Surveys.OrderBy(s => s.Moment.At)
                .ThenBy(s => s.Moment.Version)
                .Select(s => (s.Moment.At, (decimal)s.Rating, s.Moment.Version))
        );
        _lifecycle = [.. state.Lifecycle.OrderBy(l => l.Moment.At).ThenBy(l => l.Moment.Version)];
        _lifecycles = new TimeSeries(_lifecycle.Select(l => (l.Moment.At, 0m, l.Moment.Version)));
        _lifecycleTicks = [.. _lifecycle.Select(l => l.Moment.At.UtcTicks)];
        _cycleByCount = PurchaseCycles.ByCount(_purchases.Times);
        LongestCycle = _cycleByCount.Max() ?? TimeSpan.Zero;
        FirstPurchase = _purchases.Times.Count > 0 ? _purchases.Times[0] : null;
    }

    private readonly TimeSeries _lifecycles;

    /// <summary>The longest purchase cycle at any purchase count: bounds how far after a purchase its cycle boundary lies.</summary>
    public TimeSpan LongestCycle { get; }

    /// <summary>The instants of the stage facts (purchases, refunds, surveys, lifecycle events), each series sorted.</summary>
    public IEnumerable<IReadOnlyList<DateTimeOffset>> StageFactTimes =>
        [_purchases.Times, _refunds.Times, _ratings.Times, _lifecycles.Times];

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

    public int PurchasesIn(DateTimeOffset after, DateTimeOffset upTo) => _purchases.CountIn(after, upTo);

    public DateTimeOffset? FirstPurchase { get; }

    public DateTimeOffset? LastPurchaseUpTo(DateTimeOffset instant) =>
        PurchasesUpTo(instant) is var count and > 0 ? _purchases.Times[count - 1] : null;

    /// <summary>The median interval between consecutive purchases up to <paramref name="instant"/> (mean of the middle two for an even count).</summary>
    public TimeSpan? PurchaseCycleUpTo(DateTimeOffset instant) => _cycleByCount[PurchasesUpTo(instant)];

    /// <summary>The mean of the last <paramref name="count"/> ratings up to <paramref name="instant"/> (of as many as exist), or null without any.</summary>
    public decimal? MeanOfLastRatings(DateTimeOffset instant, int count)
    {
        var upTo = _ratings.CountUpTo(instant);
        var taken = Math.Min(count, upTo);
        return taken == 0 ? null : _ratings.SumOfRange(upTo - taken, upTo) / taken;
    }

    /// <summary>Whether the latest lifecycle event up to <paramref name="instant"/> is <c>RelationshipEnded</c>.</summary>
    public bool EndedAt(DateTimeOffset instant)
    {
        var upTo = Instants.CountUpTo(_lifecycleTicks, instant);
        return upTo > 0 && _lifecycle[upTo - 1].Ended;
    }
}
