using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Domain.Tests.Rules;

public sealed class PurchaseCyclesTests
{
    private static readonly DateTimeOffset Start = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_cycle_after_each_purchase_is_the_median_interval_so_far()
    {
        // Intervals 10, 2, 6, 4 days: medians 10; (2+10)/2 = 6; 6; (4+6)/2 = 5.
        DateTimeOffset[] times = [Start, Start.AddDays(10), Start.AddDays(12), Start.AddDays(18), Start.AddDays(22)];

        var cycles = PurchaseCycles.Of(times);

        Assert.Equal(
            [null, null, TimeSpan.FromDays(10), TimeSpan.FromDays(6), TimeSpan.FromDays(6), TimeSpan.FromDays(5)],
            Enumerable.Range(0, times.Length + 1).Select(cycles.AtCount)
        );
        Assert.Equal(TimeSpan.FromDays(10), cycles.Longest);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    public void The_incremental_median_equals_sorting_every_prefix(int seed)
    {
        var random = new Random(seed);
        var times = new List<DateTimeOffset> { Start };
        for (var i = 0; i < 300; i++)
            times.Add(times[^1].AddHours(random.Next(0, 24 * 90)));

        var cycles = PurchaseCycles.Of(times);

        for (var count = 2; count <= times.Count; count++)
            Assert.Equal(SortedMedian(times, count), cycles.AtCount(count));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void Cycles_extended_purchase_by_purchase_equal_cycles_computed_at_once(int seed)
    {
        var random = new Random(seed);
        var times = new List<DateTimeOffset> { Start };
        var extended = PurchaseCycles.Of(times);
        for (var i = 0; i < 200; i++)
        {
            times.Add(times[^1].AddHours(random.Next(0, 24 * 90)));
            extended = extended.Extended(times.ToArray());
        }

        var atOnce = PurchaseCycles.Of(times);

        Assert.Equal(atOnce.Longest, extended.Longest);
        for (var count = 0; count <= times.Count; count++)
            Assert.Equal(atOnce.AtCount(count), extended.AtCount(count));
    }

    [Fact]
    public void Cycles_are_extended_at_most_once_because_the_extension_takes_their_heaps()
    {
        DateTimeOffset[] two = [Start, Start.AddDays(3)];
        var cycles = PurchaseCycles.Of(two);
        cycles.Extended([.. two, Start.AddDays(5)]);

        Assert.Throws<InvalidOperationException>(() => cycles.Extended([.. two, Start.AddDays(9)]));
        Assert.Equal(TimeSpan.FromDays(3), cycles.AtCount(2));
    }

    private static TimeSpan SortedMedian(List<DateTimeOffset> times, int count)
    {
        var intervals = Enumerable.Range(1, count - 1).Select(i => (times[i] - times[i - 1]).Ticks).Order().ToArray();
        var middle = intervals.Length / 2;
        return intervals.Length % 2 == 1
            ? TimeSpan.FromTicks(intervals[middle])
            : TimeSpan.FromTicks((intervals[middle - 1] + intervals[middle]) / 2);
    }
}
