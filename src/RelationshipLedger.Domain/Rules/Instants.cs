namespace RelationshipLedger.Domain.Rules;

internal static class Instants
{
    /// <summary>One microsecond, the resolution of stored instants: "strictly after" a boundary.</summary>
    public static readonly TimeSpan Resolution = TimeSpan.FromTicks(TimeSpan.TicksPerMicrosecond);

    /// <summary><paramref name="instant"/> − <paramref name="span"/>, stopping at the earliest representable instant.</summary>
    public static DateTimeOffset Minus(this DateTimeOffset instant, TimeSpan span) =>
        instant.UtcTicks - DateTimeOffset.MinValue.UtcTicks > span.Ticks ? instant - span : DateTimeOffset.MinValue;

    /// <summary><paramref name="instant"/> + <paramref name="span"/>, stopping at the latest representable instant.</summary>
    public static DateTimeOffset Plus(this DateTimeOffset instant, TimeSpan span) =>
        DateTimeOffset.MaxValue.UtcTicks - instant.UtcTicks > span.Ticks ? instant + span : DateTimeOffset.MaxValue;

    /// <summary>How many of the sorted <paramref name="utcTicks"/> are at or before <paramref name="instant"/> (binary search).</summary>
    public static int CountUpTo(ReadOnlySpan<long> utcTicks, DateTimeOffset instant)
    {
        var ticks = instant.UtcTicks;
        int low = 0,
            high = utcTicks.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (utcTicks[middle] <= ticks)
                low = middle + 1;
            else
                high = middle;
        }
        return low;
    }
}
