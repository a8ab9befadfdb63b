namespace RelationshipLedger.EventStore.Tests;

public sealed class RejectedAppendTests : StoreTestClass
{
    [Fact]
    public async Task Appending_with_a_stale_version_is_a_conflict_and_appends_nothing()
    {
        await Store.AppendAsync(
            "c-1",
            ExpectedVersion.NoStream,
            [new(new AccountOpened("Acme")), TestStores.Purchase("o-1", 5m)]
        );
        var before = await LedgerSql.LogAsTextAsync(Database.DataSource);
        var late = TestStores.Purchase("o-2", 7m) with { EventId = Guid.NewGuid() };

        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Store.AppendAsync("c-1", ExpectedVersion.Exactly(1), [late])
        );

        Assert.Equal(2, conflict.ActualVersion);
        Assert.Equal(ExpectedVersion.Exactly(1), conflict.Expected);
        Assert.Equal(before, await LedgerSql.LogAsTextAsync(Database.DataSource));
        Assert.Equal(0, await LedgerSql.CountEventsAsync(Database.DataSource, [late.EventId!.Value]));
    }

    [Fact]
    public async Task Appending_to_a_missing_stream_at_an_exact_version_is_a_conflict_and_creates_nothing()
    {
        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Store.AppendAsync("c-missing", ExpectedVersion.Exactly(3), [TestStores.Purchase("o-1", 5m)])
        );

        Assert.Equal(0, conflict.ActualVersion);
        Assert.Null(await Store.GetStreamAsync("c-missing"));
        Assert.Equal(0, await LedgerSql.ScalarAsync<long>(Database.DataSource, "select count(*) from ledger.events"));
    }

    [Fact]
    public async Task Creating_a_stream_that_exists_is_a_conflict_and_appends_nothing()
    {
        await Store.AppendAsync("c-1", ExpectedVersion.NoStream, [new(new AccountOpened("Acme"))]);
        var before = await LedgerSql.LogAsTextAsync(Database.DataSource);

        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Store.AppendAsync("c-1", ExpectedVersion.NoStream, [new(new AccountOpened("Impostor"))])
        );

        Assert.Equal(1, conflict.ActualVersion);
        Assert.Equal(before, await LedgerSql.LogAsTextAsync(Database.DataSource));
    }

    [Fact]
    public async Task An_event_id_already_in_the_log_is_a_duplicate_and_appends_nothing()
    {
        var taken = Guid.NewGuid();
        await Store.AppendAsync("c-1", ExpectedVersion.NoStream, [new(new AccountOpened("Acme")) { EventId = taken }]);
        var before = await LedgerSql.LogAsTextAsync(Database.DataSource);
        var innocent = Guid.NewGuid();

        await Assert.ThrowsAsync<DuplicateEventIdException>(() =>
            Store.AppendAsync(
                "c-1",
                ExpectedVersion.Exactly(1),
                [
                    TestStores.Purchase("o-1", 5m) with
                    {
                        EventId = innocent,
                    },
                    TestStores.Purchase("o-2", 5m) with
                    {
                        EventId = taken,
                    },
                ]
            )
        );
        await Assert.ThrowsAsync<DuplicateEventIdException>(() =>
            Store.AppendAsync("c-2", ExpectedVersion.NoStream, [new(new AccountOpened("Copy")) { EventId = taken }])
        );

        Assert.Equal(before, await LedgerSql.LogAsTextAsync(Database.DataSource));
        Assert.Null(await Store.GetStreamAsync("c-2"));
        Assert.Equal(0, await LedgerSql.CountEventsAsync(Database.DataSource, [innocent]));
    }

    [Fact]
    public async Task The_same_event_id_twice_in_one_append_is_a_duplicate_and_appends_nothing()
    {
        var id = Guid.NewGuid();

        await Assert.ThrowsAsync<DuplicateEventIdException>(() =>
            Store.AppendAsync(
                "c-1",
                ExpectedVersion.NoStream,
                [new(new AccountOpened("Acme")) { EventId = id }, TestStores.Purchase("o-1", 5m) with { EventId = id }]
            )
        );

        Assert.Null(await Store.GetStreamAsync("c-1"));
        Assert.Equal(0, await LedgerSql.CountEventsAsync(Database.DataSource, [id]));
    }
}
