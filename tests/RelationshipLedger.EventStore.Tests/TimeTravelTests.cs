namespace RelationshipLedger.EventStore.Tests;

public sealed class TimeTravelTests : StoreTestClass
{
    private static readonly DateTimeOffset January1 = new(2025, 1, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset March1 = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset April1 = new(2025, 4, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset May1 = new(2025, 5, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset June30 = new(2025, 6, 30, 23, 59, 59, TimeSpan.Zero);
    private static readonly DateTimeOffset August1 = new(2025, 8, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Reading_up_to_a_version_folds_only_the_events_up_to_it()
    {
        await Store.AppendAsync(
            "c-1",
            ExpectedVersion.NoStream,
            [
                new(new AccountOpened("Acme")),
                TestStores.Purchase("o-1", 100m),
                TestStores.Purchase("o-2", 250m),
                new(new AccountOpened("Acme Group")),
            ]
        );

        var read = await Store.ReadStreamAsync("c-1", StreamReadOptions.UpToVersion(3)).ToListAsync();
        var atThree = await FoldAsync(StreamReadOptions.UpToVersion(3));
        var atOne = await FoldAsync(StreamReadOptions.UpToVersion(1));
        var now = await FoldAsync(null);

        Assert.Equal([1L, 2L, 3L], read.Select(e => e.Version));
        Assert.Equal(new AccountState("Acme", 350m, 2), atThree.State);
        Assert.Equal((3L, 3), (atThree.Version, atThree.EventCount));
        Assert.Equal(new AccountState("Acme", 0m, 0), atOne.State);
        Assert.Equal(new AccountState("Acme Group", 350m, 2), now.State);
        Assert.Equal(4, now.Version);
    }

    [Fact]
    public async Task Reading_as_of_a_business_instant_includes_back_dated_events_in_the_order_they_occurred()
    {
        await Store.AppendAsync(
            "c-1",
            ExpectedVersion.NoStream,
            [
                new(new AccountOpened("Acme")) { OccurredAt = January1 },
                TestStores.Purchase("o-1", 100m, March1),
                TestStores.Purchase("o-4", 400m, May1),
            ]
        );
        // Appended later, but happened earlier: version 4 on April 1st, version 5 at the same instant as version 2.
        await Store.AppendAsync(
            "c-1",
            ExpectedVersion.Exactly(3),
            [TestStores.Purchase("o-3", 300m, April1), TestStores.Purchase("o-2", 200m, March1)]
        );

        var midApril = April1.AddDays(14);
        Assert.Equal(new long[] { 1, 2, 5, 4 }, await VersionsAsync(StreamReadOptions.AsOf(midApril)));
        Assert.Equal(new long[] { 1, 2, 5, 4, 3 }, await VersionsAsync(StreamReadOptions.AsOf(May1)));
        Assert.Equal(new long[] { 1 }, await VersionsAsync(StreamReadOptions.AsOf(March1.AddTicks(-10))));
        Assert.Empty(await VersionsAsync(StreamReadOptions.AsOf(January1.AddTicks(-10))));

        var inApril = await FoldAsync(StreamReadOptions.AsOf(midApril));
        Assert.Equal(new AccountState("Acme", 600m, 3), inApril.State);
        Assert.Equal((5L, 4), (inApril.Version, inApril.EventCount));
        var ordersInApril = await Store.AggregateAsync(
            "c-1",
            "",
            (trail, e) => e.Data is PurchaseMade p ? trail + p.OrderId + " " : trail,
            StreamReadOptions.AsOf(midApril)
        );
        Assert.Equal("o-1 o-2 o-3 ", ordersInApril.State);
    }

    [Fact]
    public async Task Reading_as_known_at_an_instant_leaves_out_what_was_recorded_later()
    {
        var first = await Store.AppendAsync(
            "c-1",
            ExpectedVersion.NoStream,
            [new(new AccountOpened("Acme")), TestStores.Purchase("o-1", 100m)]
        );
        var second = await Store.AppendAsync("c-1", ExpectedVersion.Exactly(2), [TestStores.Purchase("o-2", 50m)]);
        var third = await Store.AppendAsync("c-1", ExpectedVersion.Exactly(3), [TestStores.Purchase("o-3", 25m)]);
        Assert.True(first.RecordedAt < second.RecordedAt && second.RecordedAt < third.RecordedAt);

        Assert.Empty(await VersionsAsync(StreamReadOptions.KnownAt(first.RecordedAt.AddTicks(-10))));
        Assert.Equal(new long[] { 1, 2 }, await VersionsAsync(StreamReadOptions.KnownAt(first.RecordedAt)));
        Assert.Equal(
            new long[] { 1, 2 },
            await VersionsAsync(StreamReadOptions.KnownAt(second.RecordedAt.AddTicks(-10)))
        );
        Assert.Equal(new long[] { 1, 2, 3 }, await VersionsAsync(StreamReadOptions.KnownAt(second.RecordedAt)));
        Assert.Equal(
            new AccountState("Acme", 100m, 1),
            (await FoldAsync(StreamReadOptions.KnownAt(first.RecordedAt))).State
        );
        Assert.Equal(
            new AccountState("Acme", 150m, 2),
            (await FoldAsync(StreamReadOptions.KnownAt(second.RecordedAt))).State
        );
        Assert.Equal(
            new AccountState("Acme", 175m, 3),
            (await FoldAsync(StreamReadOptions.KnownAt(third.RecordedAt.AddDays(1)))).State
        );
    }

    [Fact]
    public async Task A_back_dated_correction_changes_what_was_true_at_an_instant_only_from_when_it_was_recorded()
    {
        var original = await Store.AppendAsync(
            "c-1",
            ExpectedVersion.NoStream,
            [
                new(new AccountOpened("Acme")) { OccurredAt = January1 },
                TestStores.Purchase("o-1", 100m, March1),
                TestStores.Purchase("o-2", 400m, August1),
            ]
        );
        // Recorded at K, about April 1st: o-1 was over-charged by 20.
        var correction = await Store.AppendAsync(
            "c-1",
            ExpectedVersion.Exactly(3),
            [TestStores.Purchase("o-1-refund", -20m, April1)]
        );
        var known = correction.RecordedAt;
        var justBefore = known.AddTicks(-10);

        Assert.Equal(100m, await RevenueAsync(June30, original.RecordedAt));
        Assert.Equal(100m, await RevenueAsync(June30, justBefore));
        Assert.Equal(80m, await RevenueAsync(June30, known));
        Assert.Equal(80m, await RevenueAsync(June30, null));
        Assert.Equal(500m, await RevenueAsync(August1, justBefore));
        Assert.Equal(480m, await RevenueAsync(August1, known));
        Assert.Equal(100m, await RevenueAsync(March1.AddDays(14), known));
        Assert.Equal(new long[] { 1, 2 }, await VersionsAsync(StreamReadOptions.AsOf(June30, justBefore)));
        Assert.Equal(new long[] { 1, 2, 4 }, await VersionsAsync(StreamReadOptions.AsOf(June30, known)));
    }

    private Task<Folded<AccountState>> FoldAsync(StreamReadOptions? options) =>
        Store.AggregateAsync("c-1", AccountState.Initial, AccountState.Evolve, options);

    private async Task<decimal> RevenueAsync(DateTimeOffset asOf, DateTimeOffset? knownAt) =>
        (await FoldAsync(StreamReadOptions.AsOf(asOf, knownAt))).State.Revenue;

    private async Task<long[]> VersionsAsync(StreamReadOptions options) =>
        await Store.ReadStreamAsync("c-1", options).Select(e => e.Version).ToArrayAsync();
}
