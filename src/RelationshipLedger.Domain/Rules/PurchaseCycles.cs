namespace RelationshipLedger.Domain.Rules;

/// <summary>
/// The purchase cycle (the median interval between consecutive purchases) after each purchase,
/// computed in one pass: the intervals so far are kept as a lower and an upper half in two heaps,
/// so each new interval costs a logarithm instead of a sort of all of them. The heaps pass to the
/// one extension of an instance (<see cref="Extended"/>), which continues from them.
/// </summary>
internal sealed class PurchaseCycles
{
    private readonly TimeSpan?[] _byCount;
    private Halves? _halves;

    private PurchaseCycles(TimeSpan?[] byCount, int purchases, TimeSpan longest, Halves halves)
    {
        _byCount = byCount;
        Purchases = purchases;
        Longest = longest;
        _halves = halves;
    }

    /// <summary>The cycles of <paramref name="sortedPurchaseTimes"/>.</summary>
    public static PurchaseCycles Of(IReadOnlyList<DateTimeOffset> sortedPurchaseTimes) =>
        new PurchaseCycles([null], 0, TimeSpan.Zero, new Halves()).Extended(sortedPurchaseTimes);

    /// <summary>How many purchases the cycles cover.</summary>
    public int Purchases { get; }

    /// <summary>The longest cycle at any purchase count (zero before two purchases).</summary>
    public TimeSpan Longest { get; }

    /// <summary>The cycle over the first <paramref name="count"/> purchases (null for fewer than two).</summary>
    public TimeSpan? AtCount(int count) =>
        (uint)count <= (uint)Purchases ? _byCount[count] : throw new ArgumentOutOfRangeException(nameof(count));

    /// <summary>
    /// The cycles of <paramref name="sortedPurchaseTimes"/>, whose first <see cref="Purchases"/> are the
    /// ones these cycles cover. Takes this instance's heaps: it can be extended once.
    /// </summary>
    public PurchaseCycles Extended(IReadOnlyList<DateTimeOffset> sortedPurchaseTimes)
    {
        var halves =
            Interlocked.Exchange(ref _halves, null)
            ?? throw new InvalidOperationException("These purchase cycles have been extended already.");
        var byCount =
            _byCount.Length > sortedPurchaseTimes.Count
                ? _byCount
                : Grown(_byCount, Purchases, sortedPurchaseTimes.Count + 1);
        var longest = Longest;
        for (var count = Math.Max(2, Purchases + 1); count <= sortedPurchaseTimes.Count; count++)
        {
            var cycle = TimeSpan.FromTicks(
                halves.Add((sortedPurchaseTimes[count - 1] - sortedPurchaseTimes[count - 2]).Ticks)
            );
            byCount[count] = cycle;
            longest = cycle > longest ? cycle : longest;
        }
        return new PurchaseCycles(byCount, sortedPurchaseTimes.Count, longest, halves);
    }

    private static TimeSpan?[] Grown(TimeSpan?[] byCount, int purchases, int needed)
    {
        var grown = new TimeSpan?[Math.Max(needed, 2 * byCount.Length)];
        Array.Copy(byCount, grown, purchases + 1);
        return grown;
    }

    /// <summary>The intervals so far as a lower half (a max-heap) and an upper half (a min-heap).</summary>
    private sealed class Halves
    {
        private readonly PriorityQueue<long, long> _lower = new(); // max-heap by negated priority
        private readonly PriorityQueue<long, long> _upper = new();

        /// <summary>Adds <paramref name="interval"/> and returns the median of all intervals so far.</summary>
        public long Add(long interval)
        {
            if (_lower.Count == 0 || interval <= _lower.Peek())
                _lower.Enqueue(interval, -interval);
            else
                _upper.Enqueue(interval, interval);
            Rebalance();
            return _lower.Count > _upper.Count ? _lower.Peek() : (_lower.Peek() + _upper.Peek()) / 2;
        }

        /// <summary>Keeps the lower half as large as the upper half or one larger.</summary>
        private void Rebalance()
        {
            if (_lower.Count > _upper.Count + 1)
            {
                var moved = _lower.Dequeue();
                _upper.Enqueue(moved, moved);
            }
            else if (_upper.Count > _lower.Count)
            {
                var moved = _upper.Dequeue();
                _lower.Enqueue(moved, -moved);
            }
        }
    }
}
