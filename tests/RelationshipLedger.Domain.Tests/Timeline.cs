using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Domain.Tests;

/// <summary>
/// A history for the rules, laid out in whole days from <see cref="Day0"/> (a fixed instant, never the
/// clock): <c>Timeline.Start().On(10, Purchase(...))</c>. Each event sits exactly at its day, so window
/// arithmetic in the tests' comments is in plain days.
/// </summary>
internal static class Timeline
{
    public static readonly DateTimeOffset Day0 = new(2022, 1, 3, 0, 0, 0, TimeSpan.Zero);

    /// <summary>One microsecond: the resolution of stored instants, "just after" a boundary.</summary>
    public static readonly TimeSpan Microsecond = TimeSpan.FromTicks(10);

    public static DateTimeOffset Day(double days) => Day0.AddDays(days);

    /// <summary>A customer registered at day 0 (version 1).</summary>
    public static CustomerSpec Start() => CustomerSpec.Given().At(Day0).And(TestEvents.Registered());

    /// <summary>Appends <paramref name="events"/>, each at exactly <paramref name="day"/>.</summary>
    public static CustomerSpec On(this CustomerSpec spec, double day, params CustomerEvent[] events)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(events);
        foreach (var @event in events)
            spec.At(Day(day)).And(@event);
        return spec;
    }
}
