namespace RelationshipLedger.Domain.Rules;

/// <summary>The rules' inputs read at <see cref="FactCounts"/>: found once per instant, by binary search or by a sweep.</summary>
internal sealed partial class CustomerFacts
{
    public ReadOnlySpan<long> PurchaseTicks => _purchases.UtcTicks;

    public ReadOnlySpan<long> RefundTicks => _refunds.UtcTicks;

    public ReadOnlySpan<long> RatingTicks => _ratings.UtcTicks;

    public ReadOnlySpan<long> LifecycleTicks => _lifecycleTicks;

    /// <summary>The counts at <paramref name="instant"/> with recent windows of <paramref name="window"/>, by binary search.</summary>
    public FactCounts CountsAt(DateTimeOffset instant, TimeSpan window)
    {
        var recentStart = instant.Minus(window);
        var previousStart = instant.Minus(window + window);
        return new FactCounts(
            _purchases.CountUpTo(instant),
            _purchases.CountUpTo(recentStart),
            _purchases.CountUpTo(previousStart),
            _refunds.CountUpTo(instant),
            _refunds.CountUpTo(recentStart),
            _refunds.CountUpTo(previousStart),
            _ratings.CountUpTo(instant),
            Instants.CountUpTo(_lifecycleTicks, instant)
        );
    }

    /// <summary>Counts at instants that mostly never decrease (see <see cref="FactSweep"/>).</summary>
    public FactSweep Sweep(TimeSpan window) => new(this, window);

    /// <summary>Purchases minus refunds in the recent window (instant − W, instant].</summary>
    public decimal RecentRevenue(in FactCounts at) =>
        _purchases.SumOfRange(at.PurchasesBeforeRecent, at.Purchases)
        - _refunds.SumOfRange(at.RefundsBeforeRecent, at.Refunds);

    /// <summary>Purchases minus refunds in the previous window (instant − 2W, instant − W].</summary>
    public decimal PreviousRevenue(in FactCounts at) =>
        _purchases.SumOfRange(at.PurchasesBeforePrevious, at.PurchasesBeforeRecent)
        - _refunds.SumOfRange(at.RefundsBeforePrevious, at.RefundsBeforeRecent);

    /// <summary>The median interval between the purchases counted (null for fewer than two).</summary>
    public TimeSpan? PurchaseCycle(in FactCounts at) => _cycles.AtCount(at.Purchases);

    /// <summary>The latest purchase counted, or null without any.</summary>
    public DateTimeOffset? LastPurchase(in FactCounts at) =>
        at.Purchases > 0 ? _purchases.Times[at.Purchases - 1] : null;

    /// <summary>The mean of the last <paramref name="count"/> ratings counted (of as many as exist), or null without any.</summary>
    public decimal? MeanOfLastRatings(in FactCounts at, int count)
    {
        var taken = Math.Min(count, at.Ratings);
        return taken == 0 ? null : _ratings.SumOfRange(at.Ratings - taken, at.Ratings) / taken;
    }

    /// <summary>Whether the latest lifecycle event counted is <c>RelationshipEnded</c>.</summary>
    public bool Ended(in FactCounts at) => at.LifecycleEvents > 0 && _lifecycle[at.LifecycleEvents - 1].Ended;
}
