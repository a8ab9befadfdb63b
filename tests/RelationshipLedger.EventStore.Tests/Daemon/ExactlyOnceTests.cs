using RelationshipLedger.EventStore.Daemon;
using RelationshipLedger.EventStore.Projections;
using RelationshipLedger.Testing;

namespace RelationshipLedger.EventStore.Tests.Daemon;

/// <summary>
/// The daemon follows the log while writers commit, some appends roll back and one is held open
/// after inserting its event: the projection gets every committed event exactly once, in global
/// order, and never passes the held one while it is open.
/// </summary>
public sealed class ExactlyOnceTests : HeldAppendTestClass
{
    [Fact]
    public async Task Every_committed_event_is_applied_once_in_global_order_and_none_passes_an_open_append()
    {
        var projection = new RecordingProjection("recorder");
        await projection.CreateTableAsync(Database.DataSource);
        await using var daemon = RunningDaemon.Start(
            Store,
            [projection],
            RunningDaemon.FastOptions("exactly-once") with
            {
                BatchSize = 7,
            }
        );
        using var stopWriting = new CancellationTokenSource();
        var writing = Enumerable
            .Range(1, 3)
            .Select(w => Task.Run(() => WriteUntilStoppedAsync($"w-{w}", stopWriting.Token)))
            .ToArray();
        var heldId = Guid.NewGuid();
        try
        {
            var heldAppend = Task.Run(() =>
                Store.AppendAsync("held", ExpectedVersion.NoStream, [new(new NoteAdded(HoldNote)) { EventId = heldId }])
            );
            var held = await HoldOrRollBack.HeldEventInserted.WaitAsync(Eventually.DefaultTimeout);
            await Eventually.IsTrueAsync(
                async () => await CommittedAfterAsync(held.Position.SequenceId) >= 30,
                "30 events with a higher seq_id to commit while the append is held"
            );
            // Every event of a transaction older than the held one is applied; nothing newer may be.
            await Eventually.IsTrueAsync(
                async () =>
                    (await projection.AppliedAsync(Database.DataSource))
                        .ToHashSet()
                        .IsSupersetOf(await EventIdsBelowAsync(held.Position.TransactionId)),
                "the daemon to apply everything older than the held append"
            );
            var appliedWhileHeld = await projection.AppliedAsync(Database.DataSource);
            Assert.False(heldAppend.IsCompleted, "the held append must still be open while the daemon is checked");
            Assert.Empty((await EventIdsFromAsync(held.Position.TransactionId)).Intersect(appliedWhileHeld));

            HoldOrRollBack.Release();
            await heldAppend;
        }
        finally
        {
            HoldOrRollBack.Release();
            await stopWriting.CancelAsync();
        }
        var rolledBack = (await Task.WhenAll(writing)).SelectMany(ids => ids).ToList();

        var committed = await DaemonSql.EventIdsInGlobalOrderAsync(Database.DataSource);
        await Eventually.IsTrueAsync(
            async () => (await projection.AppliedAsync(Database.DataSource)).Count >= committed.Count,
            "the daemon to catch up with every committed event"
        );
        var applied = await projection.AppliedAsync(Database.DataSource);
        Assert.Equal(committed, applied);
        Assert.Contains(heldId, applied);
        Assert.NotEmpty(rolledBack);
        Assert.Empty(rolledBack.Intersect(applied));
        var status = await new ProjectionOperations(Database.DataSource).GetAsync("recorder");
        Assert.Equal(committed.Count, status!.EventsApplied);
        Assert.Equal(0, status.LagEvents);
    }

    /// <summary>Appends batches of one to three purchases; every fourth append also carries a note that rolls it back. Returns the rolled-back ids.</summary>
    private async Task<List<Guid>> WriteUntilStoppedAsync(string streamId, CancellationToken stop)
    {
        var rolledBack = new List<Guid>();
        long version = 0;
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            List<EventToAppend> batch =
            [
                .. Enumerable
                    .Range(0, n % 3 + 1)
                    .Select(i => TestStores.Purchase($"{streamId}-{n}-{i}", 1m) with { EventId = Guid.NewGuid() }),
            ];
            if (n % 4 == 3)
                batch.Add(new EventToAppend(new NoteAdded(RollBackNote)) { EventId = Guid.NewGuid() });
            try
            {
                version = (
                    await Store.AppendAsync(
                        streamId,
                        ExpectedVersion.Exactly(version),
                        batch,
                        cancellationToken: CancellationToken.None
                    )
                ).StreamVersion;
            }
            catch (RolledBackOnPurposeException)
            {
                rolledBack.AddRange(batch.Select(e => e.EventId!.Value));
            }
        }
        return rolledBack;
    }

    private Task<long> CommittedAfterAsync(long sequenceId) =>
        LedgerSql.ScalarAsync<long>(
            Database.DataSource,
            "select count(*) from ledger.events where seq_id > $1",
            [sequenceId]
        );

    private async Task<IReadOnlyList<Guid>> EventIdsBelowAsync(ulong transactionId) =>
        await IdsAsync("select event_id from ledger.events where tx_id < $1::text::xid8", transactionId);

    private async Task<IReadOnlyList<Guid>> EventIdsFromAsync(ulong transactionId) =>
        await IdsAsync("select event_id from ledger.events where tx_id >= $1::text::xid8", transactionId);

    private async Task<IReadOnlyList<Guid>> IdsAsync(string sql, ulong transactionId)
    {
        await using var command = Database.DataSource.CreateCommand(sql);
        command.Parameters.Add(
            new Npgsql.NpgsqlParameter
            {
                Value = transactionId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }
        );
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync())
            ids.Add(reader.GetGuid(0));
        return ids;
    }
}
