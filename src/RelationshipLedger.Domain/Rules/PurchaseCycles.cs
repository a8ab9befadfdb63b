namespace RelationshipLedger.Domain.Rules;

/// <summary>
/// The purchase cycle (the median interval between consecutive purchases) after each purchase,
/// computed in one pass: the intervals so far are kept as a lower and an upper half in two heaps,
/// so each new interval costs a logarithm instead of a sort of all of them.
/// </summary>
internal static class PurchaseCycles
{
    /// <summary>Element k is the cycle over the first k purchases (null for fewer than two).</summary>
    public static TimeSpan?[] ByCount(IReadOnlyList<DateTimeOffset> sortedPurchaseTimes)
    {
        var cycles = new TimeSpan?[sortedPurchaseTimes.Count + 1];
        var lower = new PriorityQueue<long, long>(); // max-heap by negated priority
        var upper = new PriorityQueue<long, long>(); // min-heap
        for (var count = 2; count <= sortedPurchaseTimes.Count; count++)
        {
            var interval = (sortedPurchaseTimes[count - 1] - sortedPurchaseTimes[count - 2]).Ticks;
            if (lower.Count == 0 || interval <= lower.Peek())
                lower.Enqueue(interval, -interval);
            else
                upper.Enqueue(interval, interval);
            Rebalance(lower, upper);
            cycles[count] = TimeSpan.FromTicks(Median(lower, upper));
        }
        return cycles;
    }

    /// <summary>Keeps the lower half as large as the upper half or one larger.</summary>
    private static void Rebalance(PriorityQueue<long, long> lower, PriorityQueue<long, long> upper)
    {
        if (lower.Count > upper.Count + 1)
        {
            var moved = lower.Dequeue();
            upper.Enqueue(moved, moved);
        }
        else if (upper.Count > lower.Count)
        {
            var moved = upper.Dequeue();
            lower.Enqueue(moved, -moved);
        }
    }

    /// <summary>The middle interval for an odd count, the mean of the middle two for an even one.</summary>
    private static long Median(PriorityQueue<long, long> lower, PriorityQueue<long, long> upper) =>
        lower.Count > upper.Count ? lower.Peek() : (lower.Peek() + upper.Peek()) / 2;
}
