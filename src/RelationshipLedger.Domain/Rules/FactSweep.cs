namespace RelationshipLedger.Domain.Rules;

/// <summary>
/// The <see cref="FactCounts"/> at instants that never decrease, as a history evaluates them: each count is
/// a cursor that moves forward over its sorted series instead of a binary search per instant, so evaluating
/// n instants over m facts costs n + m steps, not n log m. An instant earlier than the one before starts the
/// cursors again by binary search, so any order still answers correctly.
/// </summary>
internal sealed class FactSweep(CustomerFacts facts, TimeSpan window)
{
    private Cursor _purchases;
    private Cursor _purchasesBeforeRecent;
    private Cursor _purchasesBeforePrevious;
    private Cursor _refunds;
    private Cursor _refundsBeforeRecent;
    private Cursor _refundsBeforePrevious;
    private Cursor _ratings;
    private Cursor _lifecycleEvents;

    public FactCounts CountsAt(DateTimeOffset instant)
    {
        var recentStart = instant.Minus(window);
        var previousStart = instant.Minus(window + window);
        return new FactCounts(
            _purchases.CountUpTo(facts.PurchaseTicks, instant),
            _purchasesBeforeRecent.CountUpTo(facts.PurchaseTicks, recentStart),
            _purchasesBeforePrevious.CountUpTo(facts.PurchaseTicks, previousStart),
            _refunds.CountUpTo(facts.RefundTicks, instant),
            _refundsBeforeRecent.CountUpTo(facts.RefundTicks, recentStart),
            _refundsBeforePrevious.CountUpTo(facts.RefundTicks, previousStart),
            _ratings.CountUpTo(facts.RatingTicks, instant),
            _lifecycleEvents.CountUpTo(facts.LifecycleTicks, instant)
        );
    }

    /// <summary>How many of a sorted series lie at or before the instants asked, moving forward from the last answer.</summary>
    private struct Cursor
    {
        private bool _started;
        private long _ticks;
        private int _count;

        public int CountUpTo(ReadOnlySpan<long> sortedTicks, DateTimeOffset instant)
        {
            var ticks = instant.UtcTicks;
            if (!_started || ticks < _ticks)
            {
                _count = Instants.CountUpTo(sortedTicks, instant);
                _started = true;
            }
            else
            {
                while (_count < sortedTicks.Length && sortedTicks[_count] <= ticks)
                    _count++;
            }
            _ticks = ticks;
            return _count;
        }
    }
}
