using System.Threading.Channels;
using NpgsqlTypes;
using RelationshipLedger.EventStore.Daemon;
using RelationshipLedger.EventStore.Projections;

namespace RelationshipLedger.EventStore.Rebuilds;

public sealed partial class ProjectionRebuild
{
    /// <summary>
    /// The finished part of the log after the checkpoint, of the types asked for, in one streaming
    /// query (the same gap-free bound as the store's pages: below the oldest running writer), with the
    /// streams' keys to reveal the protected fields.
    /// </summary>
    private const string BulkSql =
        $"select {EventStore.EventColumns} from {EventStore.EventsWithKeys} " + BulkConditions;

    /// <summary>The same without the keys, for a projection that reads no protected field of any type.</summary>
    private const string BulkAsStoredSql =
        $"select {EventStore.StoredEventColumns} from ledger.events e " + BulkConditions;

    private const string BulkConditions =
        "where (e.tx_id, e.seq_id) > ($1, $2) and e.tx_id < pg_snapshot_xmin(pg_current_snapshot()) "
        + "and ($3::text[] is null or e.type = any ($3)) order by e.tx_id, e.seq_id";

    /// <summary>Batches read ahead of the one being applied: memory stays a few batches, whatever the log's size.</summary>
    private const int BatchesReadAhead = 2;

    /// <summary>
    /// The bulk of a rebuild: streams what was already in the log when it began (one query, so the
    /// log is read at the speed of a sequential read, not page by page) while the batches read so far
    /// are applied, each in its own transaction with the rebuild's checkpoint, as the paged loop does.
    /// The stream is gap-free up to each batch's last event: every event before it has a smaller
    /// <c>tx_id</c>, below the bound, so it was finished and is in the stream. The query holds one
    /// snapshot (no transaction id: writers and the gap-free readers do not wait for it; vacuum does).
    /// What was appended meanwhile is left to the paged loop. An <see cref="IReplayableProjection"/>
    /// gets the batches through one <see cref="IProjectionReplay"/> of its wider types, which keeps
    /// what it folded in memory from batch to batch and prepares each batch on the reading side, while
    /// the one before is written; only its own types count as events done.
    /// </summary>
    private async Task ReplayInBulkAsync(Action<string> report, CancellationToken cancellationToken)
    {
        var replayable = _projection as IReplayableProjection;
        var replay = replayable?.StartReplay();
        var types = replayable is null ? _projection.EventTypes : replayable.ReplayEventTypes;
        var ownTypes = _projection.EventTypes is { } own ? own.ToHashSet(StringComparer.Ordinal) : null;
        var batches = Channel.CreateBounded<ReadBatch>(
            new BoundedChannelOptions(BatchesReadAhead) { SingleReader = true, SingleWriter = true }
        );
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = ReadInBatchesAsync(batches.Writer, types, replay, stop.Token);
        try
        {
            await foreach (var (events, prepared) in batches.Reader.ReadAllAsync(stop.Token))
            {
                var batch = new SafeBatch(events, events[^1].Position, HeldBack: false);
                if (prepared is null)
                    await ApplyBatchAsync(batch, stop.Token);
                else
                    await ApplyBatchAsync(
                        batch,
                        ownTypes is null ? events.Count : events.Count(e => ownTypes.Contains(e.Type)),
                        (_, context, token) => prepared.ApplyAsync(context, token),
                        stop.Token
                    );
                report("replaying");
            }
        }
        catch
        {
            // Stop the reader; what stopped this is the failure to report, not the reader's cancellation.
            await stop.CancelAsync();
            try
            {
                await reading;
            }
            catch (Exception) when (stop.IsCancellationRequested) { }
            throw;
        }
        await reading;
    }

    private async Task ReadInBatchesAsync(
        ChannelWriter<ReadBatch> batches,
        IReadOnlyCollection<string>? types,
        IProjectionReplay? replay,
        CancellationToken cancellationToken
    )
    {
        Exception? failure = null;
        try
        {
            var revealed = _projection.ReadsProtectedFieldsOf?.ToHashSet(StringComparer.Ordinal);
            Func<string, bool> reveals = revealed is null ? static _ => true : revealed.Contains;
            await using var command = _store.DataSource.CreateCommand(
                revealed is { Count: 0 } ? BulkAsStoredSql : BulkSql
            );
            command.Parameters.Add(new() { Value = _position.TransactionId, NpgsqlDbType = NpgsqlDbType.Xid8 });
            command.Parameters.Add(new() { Value = _position.SequenceId, NpgsqlDbType = NpgsqlDbType.Bigint });
            command.Parameters.Add(
                new()
                {
                    Value = (object?)types?.ToArray() ?? DBNull.Value,
                    NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
                }
            );
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var batch = new List<RecordedEvent>(_options.BatchSize);
            while (await reader.ReadAsync(cancellationToken))
            {
                batch.Add(_store.ReadEvent(reader, reveals));
                if (batch.Count < _options.BatchSize)
                    continue;
                await batches.WriteAsync(new ReadBatch(batch, replay?.Prepare(batch)), cancellationToken);
                batch = new List<RecordedEvent>(_options.BatchSize);
            }
            if (batch.Count > 0)
                await batches.WriteAsync(new ReadBatch(batch, replay?.Prepare(batch)), cancellationToken);
        }
        catch (Exception exception)
        {
            failure = exception;
            throw;
        }
        finally
        {
            batches.TryComplete(failure);
        }
    }

    /// <summary>A batch as read, and what the replay prepared of it (null without one).</summary>
    private sealed record ReadBatch(List<RecordedEvent> Events, IReplayBatch? Prepared);
}
