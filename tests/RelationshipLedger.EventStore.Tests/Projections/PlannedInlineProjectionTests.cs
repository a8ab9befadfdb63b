using Npgsql;
using RelationshipLedger.EventStore.Projections;
using RelationshipLedger.Testing;

namespace RelationshipLedger.EventStore.Tests.Projections;

/// <summary>
/// Appends whose inline projections plan their statements go to the database as one batch without an
/// explicit transaction: the tests hold that batch to one transaction — a conflict, a repeated event id or
/// a failing projection statement appends nothing and writes nothing — and that an append that cannot be
/// planned still takes the transaction path.
/// </summary>
public sealed class PlannedInlineProjectionTests : IAsyncLifetime
{
    private const string ReadFirstNote = "this projection must read first";

    private readonly PlannedPurchases _purchases = new();
    private TestDatabase _database = null!;
    private EventStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await using var create = _database.DataSource.CreateCommand(
            "create table purchases (order_id text primary key, stream_id text not null, version bigint not null)"
        );
        await create.ExecuteNonQueryAsync();
        _store = TestStores.Create(_database, _purchases);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task An_append_with_an_exact_version_sends_the_planned_statements_and_they_commit_with_the_events()
    {
        await _store.AppendAsync("c-1", ExpectedVersion.NoStream, [TestStores.Purchase("o-1", 10m)]);
        var result = await _store.AppendAsync(
            "c-1",
            ExpectedVersion.Exactly(1),
            [TestStores.Purchase("o-2", 20m), TestStores.Purchase("o-3", 30m)]
        );

        Assert.Equal(3, result.StreamVersion);
        Assert.Equal(["o-1 c-1 v1", "o-2 c-1 v2", "o-3 c-1 v3"], await PurchasesAsync());
        Assert.Equal((2, 0), (_purchases.Planned, _purchases.Applied));
    }

    [Fact]
    public async Task A_failing_planned_statement_rolls_back_the_append_sent_before_it_in_the_same_batch()
    {
        await _store.AppendAsync("c-1", ExpectedVersion.NoStream, [TestStores.Purchase("o-1", 10m)]);
        var before = await LedgerSql.LogAsTextAsync(_database.DataSource);

        // o-2 is planned first and would insert fine; o-1 breaks the projection's own primary key.
        var failure = await Assert.ThrowsAsync<PostgresException>(() =>
            _store.AppendAsync(
                "c-1",
                ExpectedVersion.Exactly(1),
                [TestStores.Purchase("o-2", 20m), TestStores.Purchase("o-1", 99m)]
            )
        );

        Assert.Equal("purchases_pkey", failure.ConstraintName);
        Assert.Equal(before, await LedgerSql.LogAsTextAsync(_database.DataSource));
        Assert.Equal(1, (await _store.GetStreamAsync("c-1"))!.Version);
        Assert.Equal(["o-1 c-1 v1"], await PurchasesAsync());
    }

    [Fact]
    public async Task A_conflict_in_a_planned_batch_carries_the_actual_version_and_skips_the_projections_statements()
    {
        await _store.AppendAsync(
            "c-1",
            ExpectedVersion.NoStream,
            [TestStores.Purchase("o-1", 10m), TestStores.Purchase("o-2", 10m)]
        );
        var before = await LedgerSql.LogAsTextAsync(_database.DataSource);

        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            _store.AppendAsync("c-1", ExpectedVersion.Exactly(1), [TestStores.Purchase("o-3", 30m)])
        );
        var batchConflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            _store.AppendAsync(
                "c-1",
                ExpectedVersion.Exactly(5),
                [TestStores.Purchase("o-4", 40m), TestStores.Purchase("o-5", 50m)]
            )
        );

        Assert.Equal(2, conflict.ActualVersion);
        Assert.Equal(ExpectedVersion.Exactly(1), conflict.Expected);
        Assert.Equal(2, batchConflict.ActualVersion);
        Assert.Equal(before, await LedgerSql.LogAsTextAsync(_database.DataSource));
        Assert.Equal(["o-1 c-1 v1", "o-2 c-1 v2"], await PurchasesAsync());
    }

    [Fact]
    public async Task A_planned_append_to_a_stream_that_does_not_exist_yet_conflicts_with_actual_version_zero()
    {
        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            _store.AppendAsync("c-none", ExpectedVersion.Exactly(3), [TestStores.Purchase("o-1", 10m)])
        );

        Assert.Equal(0, conflict.ActualVersion);
        Assert.Null(await _store.GetStreamAsync("c-none"));
        Assert.Empty(await PurchasesAsync());
    }

    [Fact]
    public async Task A_repeated_event_id_in_a_planned_batch_is_a_duplicate_and_writes_nothing()
    {
        var eventId = Guid.CreateVersion7();
        await _store.AppendAsync(
            "c-1",
            ExpectedVersion.NoStream,
            [TestStores.Purchase("o-1", 10m) with { EventId = eventId }]
        );

        await Assert.ThrowsAsync<DuplicateEventIdException>(() =>
            _store.AppendAsync(
                "c-2",
                ExpectedVersion.NoStream,
                [TestStores.Purchase("o-2", 20m) with { EventId = eventId }]
            )
        );

        Assert.Null(await _store.GetStreamAsync("c-2"));
        Assert.Equal(["o-1 c-1 v1"], await PurchasesAsync());
        Assert.Equal(2, _purchases.Planned);
    }

    [Fact]
    public async Task An_append_without_an_exact_version_or_with_a_projection_that_must_read_takes_the_transaction_path()
    {
        await _store.AppendAsync("c-1", ExpectedVersion.Any, [TestStores.Purchase("o-1", 10m)]);
        await _store.AppendAsync(
            "c-1",
            ExpectedVersion.Exactly(1),
            [TestStores.Purchase("o-2", 20m), new(new NoteAdded(ReadFirstNote))]
        );

        Assert.Equal(["o-1 c-1 v1", "o-2 c-1 v2"], await PurchasesAsync());
        Assert.Equal((0, 2), (_purchases.Planned, _purchases.Applied));
    }

    private async Task<List<string>> PurchasesAsync()
    {
        await using var command = _database.DataSource.CreateCommand(
            "select order_id || ' ' || stream_id || ' v' || version from purchases order by order_id"
        );
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(reader.GetString(0));
        return rows;
    }

    /// <summary>One row per purchase, planned or applied; an append carrying the read-first note cannot be planned.</summary>
    private sealed class PlannedPurchases : IPlannedInlineProjection
    {
        private const string Sql = "insert into purchases values ($1, $2, $3)";

        public int Planned { get; private set; }

        public int Applied { get; private set; }

        public IReadOnlyList<NpgsqlBatchCommand>? Plan(PlannedAppend append)
        {
            if (append.Events.Any(e => e.Data is NoteAdded { Text: ReadFirstNote }))
                return null;
            Planned++;
            var commands = new List<NpgsqlBatchCommand>();
            foreach (var planned in append.Events)
            {
                if (planned.Data is not PurchaseMade purchase)
                    continue;
                var command = new NpgsqlBatchCommand(Sql);
                command.Parameters.Add(new() { Value = purchase.OrderId });
                command.Parameters.Add(new() { Value = append.StreamId });
                command.Parameters.Add(new() { Value = planned.Version });
                commands.Add(command);
            }
            return commands;
        }

        public async Task ApplyAsync(InlineProjectionContext context, CancellationToken cancellationToken)
        {
            Applied++;
            foreach (var envelope in context.Events)
            {
                if (envelope.Data is not PurchaseMade purchase)
                    continue;
                await using var command = context.CreateCommand(Sql);
                command.Parameters.Add(new() { Value = purchase.OrderId });
                command.Parameters.Add(new() { Value = context.StreamId });
                command.Parameters.Add(new() { Value = envelope.Event.Version });
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }
}
