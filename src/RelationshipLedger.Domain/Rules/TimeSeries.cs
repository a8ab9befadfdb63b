namespace RelationshipLedger.Domain.Rules;

/// <summary>Amounts at instants, sorted, with prefix sums (and the highest version so far): window sums and counts by binary search.</summary>
internal sealed class TimeSeries
{
    private readonly DateTimeOffset[] _times;
    private readonly long[] _utcTicks;
    private readonly decimal[] _prefix;
    private readonly long[] _prefixMaxVersion;

    public TimeSeries(IEnumerable<(DateTimeOffset At, decimal Amount, long Version)> points)
    {
        var sorted = SortedByTime([.. points]);
        _times = new DateTimeOffset[sorted.Length];
        _utcTicks = new long[sorted.Length];
        _prefix = new decimal[sorted.Length + 1];
        _prefixMaxVersion = new long[sorted.Length + 1];
        for (var i = 0; i < sorted.Length; i++)
        {
            _times[i] = sorted[i].At;
            _utcTicks[i] = sorted[i].At.UtcTicks;
            _prefix[i + 1] = _prefix[i] + sorted[i].Amount;
            _prefixMaxVersion[i + 1] = Math.Max(_prefixMaxVersion[i], sorted[i].Version);
        }
    }

    /// <summary>The highest version among the points at or before <paramref name="instant"/> (0 without any).</summary>
    public long MaxVersionUpTo(DateTimeOffset instant) => _prefixMaxVersion[CountUpTo(instant)];

    /// <summary>
    /// The points in time order, equal instants in their given order. Facts mostly arrive in time
    /// order, so an already sorted list is kept as it is.
    /// </summary>
    private static (DateTimeOffset At, decimal Amount, long Version)[] SortedByTime(
        (DateTimeOffset At, decimal Amount, long Version)[] points
    )
    {
        for (var i = 1; i < points.Length; i++)
        {
            if (points[i].At < points[i - 1].At)
                return [.. points.OrderBy(p => p.At)];
        }
        return points;
    }

    public IReadOnlyList<DateTimeOffset> Times => _times;

    /// <summary>How many points are at or before <paramref name="instant"/>.</summary>
    public int CountUpTo(DateTimeOffset instant) => Instants.CountUpTo(_utcTicks, instant);

    /// <summary>The sum over (<paramref name="after"/>, <paramref name="upTo"/>].</summary>
    public decimal SumIn(DateTimeOffset after, DateTimeOffset upTo) =>
        _prefix[CountUpTo(upTo)] - _prefix[CountUpTo(after)];

    public int CountIn(DateTimeOffset after, DateTimeOffset upTo) => CountUpTo(upTo) - CountUpTo(after);

    /// <summary>The sum of the points with index in [<paramref name="from"/>, <paramref name="to"/>), in time order.</summary>
    public decimal SumOfRange(int from, int to) => _prefix[to] - _prefix[from];
}
