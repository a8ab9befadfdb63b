namespace RelationshipLedger.Domain.Rules;

/// <summary>
/// Amounts at instants sorted by instant, with prefix sums (and the highest version so far): window
/// sums and counts by binary search. A series is extended by points that come after its last one;
/// the extension writes past the series' count in the same arrays (growing them when full), so a
/// series and its extensions share storage and only the new points cost anything. Whoever extends a
/// series must hold the sole right to (see <see cref="CustomerFacts"/>): a series is extended at most
/// once.
/// </summary>
internal sealed class TimeSeries
{
    private readonly Columns _columns;

    private TimeSeries(Columns columns, int count)
    {
        _columns = columns;
        Count = count;
        Times = new ArraySegment<DateTimeOffset>(columns.Times, 0, count);
    }

    /// <summary>The series of <paramref name="points"/>, sorted by instant, equal instants in their given order.</summary>
    public static TimeSeries Of(IEnumerable<(DateTimeOffset At, decimal Amount, long Version)> points)
    {
        var sorted = SortedByTime([.. points]);
        return new TimeSeries(new Columns(sorted.Length), 0).Extended(sorted);
    }

    public int Count { get; }

    public IReadOnlyList<DateTimeOffset> Times { get; }

    /// <summary>The instants of the points as UTC ticks, in time order.</summary>
    public ReadOnlySpan<long> UtcTicks => _columns.UtcTicks.AsSpan(0, Count);

    /// <summary>
    /// Whether <paramref name="point"/> comes after the series' last point, by instant and then version:
    /// added last to the facts, it then sorts last, as a series built from scratch would place it.
    /// </summary>
    public bool Precedes((DateTimeOffset At, long Version) point) =>
        Count == 0
        || (_columns.UtcTicks[Count - 1], _columns.Versions[Count - 1]).CompareTo((point.At.UtcTicks, point.Version))
            < 0;

    /// <summary>
    /// This series followed by <paramref name="points"/>, each after the one before it (see
    /// <see cref="Precedes"/>). Writes past <see cref="Count"/>: call it at most once per series.
    /// </summary>
    public TimeSeries Extended(ReadOnlySpan<(DateTimeOffset At, decimal Amount, long Version)> points)
    {
        var columns =
            _columns.Capacity >= Count + points.Length ? _columns : _columns.Grown(Count, Count + points.Length);
        for (var i = 0; i < points.Length; i++)
            columns.Set(Count + i, points[i]);
        return new TimeSeries(columns, Count + points.Length);
    }

    /// <summary>The highest version among the points at or before <paramref name="instant"/> (0 without any).</summary>
    public long MaxVersionUpTo(DateTimeOffset instant) => _columns.PrefixMaxVersion[CountUpTo(instant)];

    /// <summary>The highest version among the points exactly at <paramref name="instant"/>, or null without any.</summary>
    public long? MaxVersionAt(DateTimeOffset instant)
    {
        long? highest = null;
        for (var i = CountUpTo(instant) - 1; i >= 0 && _columns.UtcTicks[i] == instant.UtcTicks; i--)
            highest = Math.Max(highest ?? long.MinValue, _columns.Versions[i]);
        return highest;
    }

    /// <summary>How many points are at or before <paramref name="instant"/>.</summary>
    public int CountUpTo(DateTimeOffset instant) => Instants.CountUpTo(UtcTicks, instant);

    /// <summary>The sum over (<paramref name="after"/>, <paramref name="upTo"/>].</summary>
    public decimal SumIn(DateTimeOffset after, DateTimeOffset upTo) =>
        _columns.Prefix[CountUpTo(upTo)] - _columns.Prefix[CountUpTo(after)];

    /// <summary>The sum of the points with index in [<paramref name="from"/>, <paramref name="to"/>), in time order.</summary>
    public decimal SumOfRange(int from, int to) => _columns.Prefix[to] - _columns.Prefix[from];

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

    /// <summary>The arrays a series and its extensions share; the prefix columns hold one entry more than the points.</summary>
    private sealed class Columns(int capacity)
    {
        public DateTimeOffset[] Times { get; } = new DateTimeOffset[capacity];
        public long[] UtcTicks { get; } = new long[capacity];
        public long[] Versions { get; } = new long[capacity];
        public decimal[] Prefix { get; } = new decimal[capacity + 1];
        public long[] PrefixMaxVersion { get; } = new long[capacity + 1];

        public int Capacity => Times.Length;

        /// <summary>Fresh columns for at least <paramref name="needed"/> points holding the first <paramref name="count"/> of these.</summary>
        public Columns Grown(int count, int needed)
        {
            var grown = new Columns(Math.Max(needed, 2 * Capacity));
            Array.Copy(Times, grown.Times, count);
            Array.Copy(UtcTicks, grown.UtcTicks, count);
            Array.Copy(Versions, grown.Versions, count);
            Array.Copy(Prefix, grown.Prefix, count + 1);
            Array.Copy(PrefixMaxVersion, grown.PrefixMaxVersion, count + 1);
            return grown;
        }

        public void Set(int index, (DateTimeOffset At, decimal Amount, long Version) point)
        {
            Times[index] = point.At;
            UtcTicks[index] = point.At.UtcTicks;
            Versions[index] = point.Version;
            Prefix[index + 1] = Prefix[index] + point.Amount;
            PrefixMaxVersion[index + 1] = Math.Max(PrefixMaxVersion[index], point.Version);
        }
    }
}
