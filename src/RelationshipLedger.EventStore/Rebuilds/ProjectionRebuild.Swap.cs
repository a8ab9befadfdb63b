using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.EventStore.Daemon;
using RelationshipLedger.EventStore.Projections;

namespace RelationshipLedger.EventStore.Rebuilds;

public sealed partial class ProjectionRebuild
{
    /// <summary>
    /// The longest the swap waits for a lock (the checkpoint row behind a live batch, a live table
    /// behind its readers) before it rolls back and tries again: while it waits, it holds up the others.
    /// </summary>
    private const string SwapLockTimeout = "2s";

    /// <summary>
    /// The shadow's and the live model's content hashes in one read-only snapshot (no locks, nobody
    /// waits), each with its checkpoint from that snapshot: both commit their rows with their
    /// checkpoint, so each hash is of exactly the events up to its position. They are comparable when
    /// no event of the projection's types lies between the two positions. The two are hashed at the same
    /// time on two sessions, the second importing the first's snapshot: the same rows, in half the time
    /// when a core is idle.
    /// </summary>
    private async Task<RebuildHashes> HashBeforeSwapAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await ContentHashes.BeginSnapshotAsync(connection, cancellationToken);
        var snapshot = await ContentHashes.ExportSnapshotAsync(connection, transaction, cancellationToken);
        await using var liveConnection = await _store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var liveTransaction = await ContentHashes.BeginInSnapshotAsync(
            liveConnection,
            snapshot,
            cancellationToken
        );
        var livePosition = await ContentHashes.LivePositionAsync(
            connection,
            transaction,
            Projection,
            cancellationToken
        );
        var hashingShadow = ContentHashes.ComputeAsync(
            connection,
            transaction,
            _shadows.Shadows,
            _position,
            cancellationToken
        );
        var hashingLive = ContentHashes.ComputeAsync(
            liveConnection,
            liveTransaction,
            _shadows.Live,
            livePosition,
            cancellationToken
        );
        await Task.WhenAll(hashingShadow, hashingLive);
        var (shadow, live) = (await hashingShadow, await hashingLive);
        var (low, high) = _position <= livePosition ? (_position, livePosition) : (livePosition, _position);
        await using var between = new NpgsqlCommand(
            "select count(*) from ledger.events where (tx_id, seq_id) > ($1, $2) and (tx_id, seq_id) <= ($3, $4) "
                + "and ($5::text[] is null or type = any ($5))",
            connection,
            transaction
        );
        AddPosition(between, low);
        AddPosition(between, high);
        between.Parameters.Add(
            new()
            {
                Value = (object?)_projection.EventTypes?.ToArray() ?? DBNull.Value,
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
            }
        );
        var comparable = (long)(await between.ExecuteScalarAsync(cancellationToken))! == 0;
        await transaction.CommitAsync(cancellationToken);
        return new RebuildHashes(shadow, live, comparable ? shadow.Hash == live.Hash : null);
    }

    /// <summary>
    /// The swap, in one short transaction on the lock's session:
    /// <list type="number">
    /// <item>lock the projection's checkpoint row (the live runner's batch locks it first too, so the
    /// two serialize: a batch in flight commits before, and none starts until the swap ends);</item>
    /// <item>apply the events after the shadow's checkpoint to the head, a few batches at most (else
    /// roll back and catch up outside again);</item>
    /// <item>drop each live table and rename its shadow to the live name;</item>
    /// <item>set the checkpoint to the shadow's position (at or past the live one: the head is read
    /// after the live runner's last batch committed), mark it running, resolve its dead letters;</item>
    /// <item>commit. The live runner's next compare-and-set, from its old position, fails; it reloads
    /// the checkpoint and goes on from the shadow's position, so no event is applied twice or skipped.</item>
    /// </list>
    /// False (and nothing changed) when the head ran away during the swap.
    /// </summary>
    private async Task<bool> TrySwapAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await SwapAsync(cancellationToken);
        }
        catch (PostgresException waited) when (waited.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            // A reader held a live table longer than the swap may wait: it rolled back; try again after catching up.
            return false;
        }
    }

    private async Task<bool> SwapAsync(CancellationToken cancellationToken)
    {
        await using var transaction = await _session.BeginTransactionAsync(cancellationToken);
        await using (
            var timeout = new NpgsqlCommand($"set local lock_timeout = '{SwapLockTimeout}'", _session, transaction)
        )
            await timeout.ExecuteNonQueryAsync(cancellationToken);
        var live = await LockCheckpointAsync(transaction, cancellationToken);
        var position = _position;
        var applied = 0;
        var caughtUp = false;
        var context = new AsyncProjectionContext(_session, transaction, _shadows.Shadows);
        for (var i = 0; i < _options.MaxSwapBatches && !caughtUp; i++)
        {
            var batch = await _log.ReadAsync(position, _options.BatchSize, _projection.EventTypes, cancellationToken);
            if (batch.Events.Count > 0)
                await _projection.ApplyAsync(batch.Events, context, cancellationToken);
            applied += batch.Events.Count;
            if (batch.Through > position)
                position = batch.Through;
            caughtUp = batch.Events.Count < _options.BatchSize;
        }
        if (!caughtUp || position < live)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }
        await _shadows.SwapAsync(_session, transaction, cancellationToken);
        await using var batchCommand = new NpgsqlBatch(_session, transaction);
        batchCommand.BatchCommands.Add(MoveLiveCheckpoint(position, _done + applied));
        batchCommand.BatchCommands.Add(
            Command(
                "update ledger.projection_dead_letters set resolved_at = now(), resolution = 'rebuilt' "
                    + "where projection = $1 and resolved_at is null"
            )
        );
        batchCommand.BatchCommands.Add(RebuildRecords.Complete(Id, position, _done + applied));
        var notify = Command("select pg_notify($2, $1)");
        notify.Parameters.Add(new() { Value = ProjectionOperations.ControlChannel, NpgsqlDbType = NpgsqlDbType.Text });
        batchCommand.BatchCommands.Add(notify);
        await batchCommand.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _position = position;
        _done += applied;
        return true;
    }

    private async Task<GlobalPosition> LockCheckpointAsync(
        NpgsqlTransaction transaction,
        CancellationToken cancellationToken
    )
    {
        await using var command = new NpgsqlCommand(
            "select position_tx, position_seq from ledger.projection_checkpoints where name = $1 for update",
            _session,
            transaction
        );
        command.Parameters.Add(new() { Value = Projection, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            throw new InvalidOperationException($"Projection '{Projection}' has no checkpoint.");
        return new GlobalPosition(reader.GetFieldValue<ulong>(0), reader.GetInt64(1));
    }

    private NpgsqlBatchCommand MoveLiveCheckpoint(GlobalPosition position, long applied)
    {
        var command = Command(
            "update ledger.projection_checkpoints set position_tx = $2, position_seq = $3, events_applied = $4, "
                + "state = 'running', last_error = null, updated_at = now() where name = $1"
        );
        command.Parameters.Add(new() { Value = position.TransactionId, NpgsqlDbType = NpgsqlDbType.Xid8 });
        command.Parameters.Add(new() { Value = position.SequenceId, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = applied, NpgsqlDbType = NpgsqlDbType.Bigint });
        return command;
    }

    private NpgsqlBatchCommand Command(string sql)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new() { Value = Projection, NpgsqlDbType = NpgsqlDbType.Text });
        return command;
    }

    private static void AddPosition(NpgsqlCommand command, GlobalPosition position)
    {
        command.Parameters.Add(new() { Value = position.TransactionId, NpgsqlDbType = NpgsqlDbType.Xid8 });
        command.Parameters.Add(new() { Value = position.SequenceId, NpgsqlDbType = NpgsqlDbType.Bigint });
    }
}
