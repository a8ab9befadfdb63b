namespace RelationshipLedger.Domain.Rules;

/// <summary>Amounts at instants, sorted, with prefix sums: window sums and counts by binary search.</summary>
internal sealed class TimeSeries
{
    private readonly DateTimeOffset[] _times;
    private readonly decimal[] _prefix;

    public TimeSeries(IEnumerable<(DateTimeOffset At, decimal Amount)> points)
    {
        var sorted = points.OrderBy(p => p.At).ToArray();
        _times = [.. sorted.Select(p => p.At)];
        _prefix = new decimal[sorted.Length + 1];
        for (var i = 0; i < sorted.Length; i++)
            _prefix[i + 1] = _prefix[i] + sorted[i].Amount;
    }

    public IReadOnlyList<DateTimeOffset> Times => _times;

    /// <summary>How many points are at or before <paramref name="instant"/>.</summary>
    public int CountUpTo(DateTimeOffset instant)
    {
        int low = 0,
            high = _times.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (_times[middle] <= instant)
                low = middle + 1;
            else
                high = middle;
        }
        return low;
    }

    /// <summary>The sum over (<paramref name="after"/>, <paramref name="upTo"/>].</summary>
    public decimal SumIn(DateTimeOffset after, DateTimeOffset upTo) =>
        _prefix[CountUpTo(upTo)] - _prefix[CountUpTo(after)];

    public int CountIn(DateTimeOffset after, DateTimeOffset upTo) => CountUpTo(upTo) - CountUpTo(after);
}
