using Npgsql;
using RelationshipLedger.EventStore.Projections;
using RelationshipLedger.Testing;

namespace RelationshipLedger.EventStore.Tests.Projections;

public sealed class InlineProjectionTests : IAsyncLifetime
{
    private const string RefuseNote = "refuse this append";

    private readonly List<(long InsideTransaction, long OutsideTransaction)> _eventsSeen = [];
    private TestDatabase _database = null!;
    private EventStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await using var create = _database.DataSource.CreateCommand(
            "create table purchases (order_id text primary key, stream_id text not null, version bigint not null, amount numeric not null)"
        );
        await create.ExecuteNonQueryAsync();
        _store = TestStores.Create(
            _database,
            new InlineProjection(RecordPurchasesAsync),
            new InlineProjection(RefuseOnNoteAsync)
        );
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_projection_writes_its_rows_in_the_appends_transaction_and_they_commit_with_the_events()
    {
        await _store.AppendAsync(
            "c-1",
            ExpectedVersion.NoStream,
            [new(new AccountOpened("Acme")), TestStores.Purchase("o-1", 10m)]
        );
        await _store.AppendAsync(
            "c-1",
            ExpectedVersion.Exactly(2),
            [TestStores.Purchase("o-2", 20m), TestStores.Purchase("o-3", 30m)]
        );

        Assert.Equal(["o-1 c-1 v2 10", "o-2 c-1 v3 20", "o-3 c-1 v4 30"], await PurchasesAsync());
        // Inside, the projection saw the append's own events; outside, nobody did until the commit.
        Assert.Equal([(2L, 0L), (4L, 2L)], _eventsSeen);
    }

    [Fact]
    public async Task A_projection_that_throws_rolls_back_the_whole_append_of_an_existing_stream()
    {
        await _store.AppendAsync(
            "c-1",
            ExpectedVersion.NoStream,
            [new(new AccountOpened("Acme")), TestStores.Purchase("o-1", 10m)]
        );
        var before = await LedgerSql.LogAsTextAsync(_database.DataSource);

        await Assert.ThrowsAsync<RefusedByProjectionException>(() =>
            _store.AppendAsync(
                "c-1",
                ExpectedVersion.Exactly(2),
                [TestStores.Purchase("o-2", 20m), new(new NoteAdded(RefuseNote))]
            )
        );

        Assert.Equal(before, await LedgerSql.LogAsTextAsync(_database.DataSource));
        Assert.Equal(["o-1 c-1 v2 10"], await PurchasesAsync());
        var next = await _store.AppendAsync("c-1", ExpectedVersion.Exactly(2), [TestStores.Purchase("o-2", 20m)]);
        Assert.Equal(3, next.StreamVersion);
    }

    [Fact]
    public async Task A_projection_that_throws_rolls_back_the_creation_of_a_new_stream()
    {
        await Assert.ThrowsAsync<RefusedByProjectionException>(() =>
            _store.AppendAsync(
                "c-new",
                ExpectedVersion.NoStream,
                [TestStores.Purchase("o-1", 10m), new(new NoteAdded(RefuseNote))]
            )
        );

        Assert.Null(await _store.GetStreamAsync("c-new"));
        Assert.Equal(0, await LedgerSql.ScalarAsync<long>(_database.DataSource, "select count(*) from ledger.events"));
        Assert.Empty(await PurchasesAsync());
    }

    [Fact]
    public async Task A_projection_that_breaks_its_own_unique_key_fails_with_its_own_error_not_a_concurrency_conflict()
    {
        await _store.AppendAsync("c-1", ExpectedVersion.NoStream, [TestStores.Purchase("o-1", 10m)]);

        var failure = await Assert.ThrowsAsync<PostgresException>(() =>
            _store.AppendAsync("c-2", ExpectedVersion.NoStream, [TestStores.Purchase("o-1", 99m)])
        );

        Assert.Equal(PostgresErrorCodes.UniqueViolation, failure.SqlState);
        Assert.Equal("purchases_pkey", failure.ConstraintName);
        Assert.Null(await _store.GetStreamAsync("c-2"));
        Assert.Equal(["o-1 c-1 v1 10"], await PurchasesAsync());
    }

    private async Task RecordPurchasesAsync(InlineProjectionContext context, CancellationToken cancellationToken)
    {
        foreach (var envelope in context.Events)
        {
            if (envelope.Data is not PurchaseMade purchase)
                continue;
            await using var insert = context.CreateCommand("insert into purchases values ($1, $2, $3, $4)");
            insert.Parameters.Add(new() { Value = purchase.OrderId });
            insert.Parameters.Add(new() { Value = context.StreamId });
            insert.Parameters.Add(new() { Value = envelope.Event.Version });
            insert.Parameters.Add(new() { Value = purchase.Amount });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var inside = context.CreateCommand("select count(*) from ledger.events where stream_id = $1");
        inside.Parameters.Add(new() { Value = context.StreamId });
        await using var outside = _database.DataSource.CreateCommand(
            "select count(*) from ledger.events where stream_id = $1"
        );
        outside.Parameters.Add(new() { Value = context.StreamId });
        _eventsSeen.Add(
            (
                (long)(await inside.ExecuteScalarAsync(cancellationToken))!,
                (long)(await outside.ExecuteScalarAsync(cancellationToken))!
            )
        );
    }

    private static Task RefuseOnNoteAsync(InlineProjectionContext context, CancellationToken cancellationToken) =>
        context.Events.Any(e => e.Data is NoteAdded { Text: RefuseNote })
            ? throw new RefusedByProjectionException("This append is refused on purpose.")
            : Task.CompletedTask;

    private async Task<List<string>> PurchasesAsync()
    {
        await using var command = _database.DataSource.CreateCommand(
            "select order_id || ' ' || stream_id || ' v' || version || ' ' || amount from purchases order by order_id"
        );
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(reader.GetString(0));
        return rows;
    }
}
