using Npgsql;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Customers.Caching;
using RelationshipLedger.Application.Overview;
using RelationshipLedger.Application.SatisfactionHistory;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Daemon;
using RelationshipLedger.EventStore.Projections;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Application.Tests.SatisfactionHistory;

/// <summary>
/// The satisfaction read model kept by the daemon while writers race, one append is held open and
/// others roll back: it ends equal to a fold of every stream from scratch, with each event applied once.
/// </summary>
public sealed class SatisfactionHistoryDaemonTests : IAsyncLifetime
{
    private const string HeldCustomer = "held-customer";
    private const string HoldComment = "hold this append open";

    private readonly HoldOrRollBackProjection _holdOrRollBack = new(
        data => data is CustomerEvent.SatisfactionSurveyed { Comment: HoldComment },
        data => data is CustomerEvent.SatisfactionSurveyed { Comment: CustomerWriter.RollBackComment }
    );
    private Ledger _ledger = null!;
    private EventStore.EventStore _store = null!;

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
    }

    public async Task DisposeAsync()
    {
        _holdOrRollBack.Release();
        await _ledger.DisposeAsync();
    }

    [Fact]
    public async Task The_read_model_ends_equal_to_a_fold_from_scratch_with_each_event_applied_once()
    {
        var operations = new ProjectionOperations(_ledger.Database.DataSource);
        await using var daemon = RunningDaemon.Start(
            _store,
            LedgerServices.CreateAsyncProjections(_store.Serializer),
            RunningDaemon.FastOptions("satisfaction") with
            {
                BatchSize = 16,
            }
        );
        using var stopWriting = new CancellationTokenSource();
        var writers = Enumerable
            .Range(1, 3)
            .Select(w => Task.Run(() => WriteUntilStoppedAsync(w, stopWriting.Token)))
            .ToArray();
        await Eventually.IsTrueAsync(
            async () => await operations.GetAsync(SatisfactionHistoryProjection.ProjectionName) is not null,
            "the daemon to register the projection"
        );
        await new CustomerWriter(_store, HeldCustomer, seed: 99).AppendAsync();
        try
        {
            var heldAppend = Task.Run(() =>
                _store.AppendAsync(
                    HeldCustomer,
                    ExpectedVersion.Exactly(1),
                    [new(new CustomerEvent.SatisfactionSurveyed("held", 4, Recommend: 9, Comment: HoldComment))],
                    CustomerId.StreamType
                )
            );
            var heldTransaction = (long)
                (await _holdOrRollBack.HeldEventInserted.WaitAsync(Eventually.DefaultTimeout)).Position.TransactionId;
            await Eventually.IsTrueAsync(
                async () =>
                    await CountAsync("select count(*) from ledger.events where tx_id > $1::text::xid8", heldTransaction)
                    >= 100,
                "100 later events to commit while the append is held"
            );
            // The daemon goes as far as it may: past every event older than the held append, and no further.
            await Eventually.IsTrueAsync(
                async () =>
                    await CountAsync(
                        "select count(*) from ledger.events e, ledger.projection_checkpoints c "
                            + "where c.name = 'satisfaction_history' and e.tx_id < $1::text::xid8 "
                            + "and (e.tx_id, e.seq_id) > (c.position_tx, c.position_seq)",
                        heldTransaction
                    ) == 0,
                "the daemon to pass every event older than the held append"
            );
            var status = await operations.GetAsync(SatisfactionHistoryProjection.ProjectionName);
            Assert.True(
                status!.Position.TransactionId < (ulong)heldTransaction,
                $"the checkpoint {status.Position} passed the open transaction {heldTransaction}"
            );
            Assert.Equal(
                0,
                await CountAsync(
                    "select count(*) from ledger.satisfaction_points where position_tx >= $1::text::xid8",
                    heldTransaction
                )
            );
            Assert.False(heldAppend.IsCompleted);

            _holdOrRollBack.Release();
            Assert.Equal(2, (await heldAppend).StreamVersion);
        }
        finally
        {
            _holdOrRollBack.Release();
            await stopWriting.CancelAsync();
        }
        var rolledBack = (await Task.WhenAll(writers)).Sum();
        Assert.True(rolledBack > 0, "some appends must have rolled back");

        await Eventually.IsTrueAsync(
            async () => (await operations.GetAsync(SatisfactionHistoryProjection.ProjectionName))!.LagEvents == 0,
            "the daemon to catch up"
        );
        var readModel = await SatisfactionContent.ReadModelAsync(_ledger.Database.DataSource);
        var folded = await SatisfactionContent.FoldedFromScratchAsync(_ledger.Database.DataSource, _ledger.Loader);
        Assert.Equal(folded, readModel);
        Assert.Equal(SatisfactionContent.Hash(folded), SatisfactionContent.Hash(readModel));
        Assert.Contains(readModel, line => line.StartsWith($"{HeldCustomer}|", StringComparison.Ordinal));
        var satisfactionEvents = await CountAsync(
            "select count(*) from ledger.events where type = any($1)",
            new SatisfactionHistoryProjection(_store.Serializer).EventTypes!.ToArray()
        );
        var final = await operations.GetAsync(SatisfactionHistoryProjection.ProjectionName);
        Assert.Equal(satisfactionEvents, final!.EventsApplied);
        Assert.Equal(satisfactionEvents, readModel.Count);
    }

    [Fact]
    public async Task Points_come_from_the_read_model_only_once_it_has_applied_the_customer_and_equal_the_fold()
    {
        var writer = new CustomerWriter(_store, "reader-check", seed: 7);
        for (var i = 0; i < 12; i++)
            await writer.AppendAsync();
        var customers = new CustomerQueries(_ledger.Loader, LifecycleRules.Default, TimeProvider.System);
        var queries = new SatisfactionHistoryQueries(_ledger.Database.DataSource, customers);
        var folded = (await customers.GetSatisfactionAsync(writer.CustomerId, TimeTravel.Now))!;

        Assert.Null(await queries.PointsIfCaughtUpAsync(writer.CustomerId, folded.Version, folded.AsOf));

        await using (RunningDaemon.Start(_store, LedgerServices.CreateAsyncProjections(_store.Serializer)))
        {
            var points = await Eventually.ReturnsAsync(
                () => queries.PointsIfCaughtUpAsync(writer.CustomerId, folded.Version, folded.AsOf),
                p => p is not null,
                "the read model to catch up with the customer"
            );
            Assert.NotEmpty(points!);
            Assert.Equal(folded.Points, points);
            var served = (await queries.GetAsync(writer.CustomerId, TimeTravel.Now))!;
            Assert.Equal((folded.Version, folded.Summary), (served.Version, served.Summary));
            Assert.Equal(folded.Points, served.Points);
        }

        // A newer version than the read model has seen falls back to the fold.
        await writer.AppendAsync();
        var newer = (await customers.GetSatisfactionAsync(writer.CustomerId, TimeTravel.Now))!;
        Assert.Null(await queries.PointsIfCaughtUpAsync(writer.CustomerId, newer.Version, newer.AsOf));
        Assert.Equal(newer.Points, (await queries.GetAsync(writer.CustomerId, TimeTravel.Now))!.Points);
    }

    /// <summary>Appends for customers of its own until stopped; the number of appends that rolled back.</summary>
    private async Task<int> WriteUntilStoppedAsync(int writer, CancellationToken stop)
    {
        var customers = Enumerable
            .Range(1, 4)
            .Select(c => new CustomerWriter(_store, $"w{writer}-c{c}", seed: writer * 10 + c))
            .ToArray();
        var rolledBack = 0;
        for (var n = 0; !stop.IsCancellationRequested; n++)
            if (!await customers[n % customers.Length].AppendAsync(rollBackEvery: 5, CancellationToken.None))
                rolledBack++;
        return rolledBack;
    }

    private async Task<long> CountAsync(string sql, object parameter)
    {
        await using var command = _ledger.Database.DataSource.CreateCommand(sql);
        command.Parameters.Add(
            new NpgsqlParameter
            {
                Value = parameter is long number
                    ? number.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : parameter,
            }
        );
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
