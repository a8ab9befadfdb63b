using Npgsql;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Customers.Caching;
using RelationshipLedger.Application.Overview;
using RelationshipLedger.Application.SatisfactionHistory;
using RelationshipLedger.Application.Tests.SatisfactionHistory;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Daemon;
using RelationshipLedger.EventStore.Rebuilds;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Application.Tests.Rebuilds;

/// <summary>
/// The satisfaction history rebuilt while the daemon keeps it live, writers append (some appends
/// rolled back, one held open) and readers query it: readers never see an empty or partial table,
/// and the swapped-in model ends equal to a fold of every stream from scratch, each event applied once.
/// </summary>
public sealed class LiveRebuildTests : IAsyncLifetime
{
    private const string HeldCustomer = "held-customer";
    private const string HoldComment = "hold this append open";

    // One statement, one snapshot: the rows and the checkpoint the daemon (or the swap) committed with them.
    private const string ReaderSql = """
        select (select count(*) from ledger.satisfaction_points),
               (select count(*) from ledger.events e, ledger.projection_checkpoints c
                where c.name = 'satisfaction_history' and e.type = any ($1)
                  and (e.tx_id, e.seq_id) <= (c.position_tx, c.position_seq))
        """;

    private readonly HoldOrRollBackProjection _holdOrRollBack = new(
        data => data is CustomerEvent.SatisfactionSurveyed { Comment: HoldComment },
        data => data is CustomerEvent.SatisfactionSurveyed { Comment: CustomerWriter.RollBackComment }
    );
    private Ledger _ledger = null!;
    private EventStore.EventStore _store = null!;
    private SatisfactionHistoryProjection _projection = null!;

    public async Task InitializeAsync()
    {
        _ledger = await Ledger.CreateAsync();
        var serializer = LedgerEventTypes.CreateSerializer();
        _store = new EventStore.EventStore(
            _ledger.Database.DataSource,
            new EventStoreOptions
            {
                Serializer = serializer,
                InlineProjections =
                [
                    new CustomerOverviewProjection(LifecycleRules.Default, serializer, new CustomerStateCache()),
                    _holdOrRollBack,
                ],
            }
        );
        _projection = new SatisfactionHistoryProjection(serializer);
    }

    public async Task DisposeAsync()
    {
        _holdOrRollBack.Release();
        await _ledger.DisposeAsync();
    }

    [Fact]
    public async Task Readers_never_see_a_partial_table_and_the_swapped_in_model_equals_a_fold_from_scratch()
    {
        for (var c = 0; c < 6; c++)
        {
            var writer = new CustomerWriter(_store, $"before-{c}", seed: 100 + c);
            for (var i = 0; i < 25; i++)
                await writer.AppendAsync();
        }
        await using var daemon = RunningDaemon.Start(
            _store,
            [_projection],
            RunningDaemon.FastOptions("live-rebuild") with
            {
                BatchSize = 16,
            }
        );
        await WaitCaughtUpAsync();

        using var stop = new CancellationTokenSource();
        var writers = Enumerable
            .Range(1, 3)
            .Select(w => Task.Run(() => WriteUntilStoppedAsync(w, stop.Token)))
            .ToArray();
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() => ReadUntilStoppedAsync(stop.Token))).ToArray();
        RebuildResult result;
        try
        {
            await using var rebuild = (
                await new ProjectionRebuilder(_store, new RebuildOptions { BatchSize = 20 }).TryStartAsync(_projection)
            )!;
            result = await rebuild.RunAsync();
            // Writers and readers go on for a while against the swapped-in table.
            var after = await CountSatisfactionEventsAsync();
            await Eventually.IsTrueAsync(
                async () => await CountSatisfactionEventsAsync() >= after + 30,
                "writers to append after the swap"
            );
        }
        finally
        {
            await stop.CancelAsync();
        }
        Assert.True((await Task.WhenAll(writers)).Sum() > 0, "some appends must have rolled back");
        var reads = await Task.WhenAll(readers);
        Assert.All(reads, r => Assert.True(r > 0, "each reader must have read"));
        Assert.True(result.EventsDone > 0);

        await WaitCaughtUpAsync();
        await AssertEqualsFoldFromScratchWithEachEventOnceAsync();
    }

    [Fact]
    public async Task A_rebuild_swaps_in_below_an_append_held_open_and_the_live_runner_applies_it_once_released()
    {
        await using var daemon = RunningDaemon.Start(_store, [_projection], RunningDaemon.FastOptions("held-rebuild"));
        var writer = new CustomerWriter(_store, "writer", seed: 5);
        for (var i = 0; i < 20; i++)
            await writer.AppendAsync();
        await new CustomerWriter(_store, HeldCustomer, seed: 9).AppendAsync();
        var heldAppend = Task.Run(() =>
            _store.AppendAsync(
                HeldCustomer,
                ExpectedVersion.Exactly(1),
                [new(new CustomerEvent.SatisfactionSurveyed("held", 4, Recommend: 9, Comment: HoldComment))],
                CustomerId.StreamType
            )
        );
        try
        {
            var held = await _holdOrRollBack.HeldEventInserted.WaitAsync(Eventually.DefaultTimeout);
            var rolledBack = 0;
            for (var i = 0; i < 20; i++)
                if (!await writer.AppendAsync(rollBackEvery: 3))
                    rolledBack++;
            Assert.True(rolledBack > 0, "some appends must have rolled back");

            await using var rebuild = (await new ProjectionRebuilder(_store).TryStartAsync(_projection))!;
            var result = await rebuild.RunAsync();
            Assert.True(
                result.Position.TransactionId < held.Position.TransactionId,
                $"the swap at {result.Position} passed the open append {held.Position}"
            );
            Assert.False(heldAppend.IsCompleted);
            Assert.Equal(
                0L,
                await ScalarAsync(
                    "select count(*) from ledger.satisfaction_points where customer_id = $1",
                    HeldCustomer
                )
            );
        }
        finally
        {
            _holdOrRollBack.Release();
        }
        Assert.Equal(2, (await heldAppend).StreamVersion);
        await WaitCaughtUpAsync();
        await AssertEqualsFoldFromScratchWithEachEventOnceAsync();
        Assert.Equal(
            1L,
            await ScalarAsync(
                "select count(*) from ledger.satisfaction_points where customer_id = $1 and version = 2",
                HeldCustomer
            )
        );
    }

    /// <summary>
    /// The read model equals a fold of every stream from scratch; the daemon counted each event of
    /// its types once and dead-lettered none; and a second rebuild of the unchanged model yields its exact hash.
    /// </summary>
    private async Task AssertEqualsFoldFromScratchWithEachEventOnceAsync()
    {
        var readModel = await SatisfactionContent.ReadModelAsync(_ledger.Database.DataSource);
        var folded = await SatisfactionContent.FoldedFromScratchAsync(_ledger.Database.DataSource, _ledger.Loader);
        Assert.Equal(folded, readModel);
        var status = (await new ProjectionOperations(_ledger.Database.DataSource).GetAsync(_projection.Name))!;
        Assert.Equal(ProjectionState.Running, status.State);
        Assert.Null(status.DeadLetter);
        Assert.Equal(await CountSatisfactionEventsAsync(), status.EventsApplied);
        Assert.Equal(readModel.Count, status.EventsApplied);

        var live = await ContentHashes.ComputeLiveAsync(_ledger.Database.DataSource, _projection);
        await using var again = (await new ProjectionRebuilder(_store).TryStartAsync(_projection))!;
        var fromScratch = await again.RunAsync();
        Assert.True(fromScratch.Hashes.MatchesLive);
        Assert.Equal(live.Hash, fromScratch.Hashes.Shadow.Hash);
        Assert.Equal(live.Hash, fromScratch.Hashes.Live.Hash);
    }

    /// <summary>Queries the live table until stopped, asserting it never shrinks and always holds exactly the events up to its checkpoint.</summary>
    private async Task<int> ReadUntilStoppedAsync(CancellationToken stop)
    {
        long seen = 0;
        var reads = 0;
        var types = _projection.EventTypes!.ToArray();
        while (!stop.IsCancellationRequested)
        {
            await using var command = _ledger.Database.DataSource.CreateCommand(ReaderSql);
            command.Parameters.Add(new NpgsqlParameter { Value = types });
            await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
            await reader.ReadAsync(CancellationToken.None);
            var (rows, applied) = (reader.GetInt64(0), reader.GetInt64(1));
            Assert.True(rows >= seen, $"the table shrank from {seen} to {rows} rows");
            Assert.Equal(applied, rows);
            seen = rows;
            reads++;
        }
        return reads;
    }

    /// <summary>Appends for customers of its own until stopped; the number of appends that rolled back.</summary>
    private async Task<int> WriteUntilStoppedAsync(int writer, CancellationToken stop)
    {
        var customers = Enumerable
            .Range(1, 3)
            .Select(c => new CustomerWriter(_store, $"w{writer}-c{c}", seed: writer * 10 + c))
            .ToArray();
        var rolledBack = 0;
        for (var n = 0; !stop.IsCancellationRequested; n++)
            if (!await customers[n % customers.Length].AppendAsync(rollBackEvery: 5, CancellationToken.None))
                rolledBack++;
        return rolledBack;
    }

    private async Task WaitCaughtUpAsync()
    {
        var operations = new ProjectionOperations(_ledger.Database.DataSource);
        await Eventually.IsTrueAsync(
            async () => await operations.GetAsync(_projection.Name) is { LagEvents: 0 },
            "the daemon to catch up"
        );
    }

    private Task<long> CountSatisfactionEventsAsync() =>
        ScalarAsync("select count(*) from ledger.events where type = any($1)", _projection.EventTypes!.ToArray());

    private async Task<long> ScalarAsync(string sql, object parameter)
    {
        await using var command = _ledger.Database.DataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
