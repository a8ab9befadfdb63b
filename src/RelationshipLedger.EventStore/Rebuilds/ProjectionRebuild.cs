using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.EventStore.Daemon;
using RelationshipLedger.EventStore.Projections;

namespace RelationshipLedger.EventStore.Rebuilds;

/// <summary>What a rebuild that swapped in did: where the live model now is, and the hashes before the swap.</summary>
public sealed record RebuildResult(
    long Id,
    string Projection,
    GlobalPosition Position,
    long EventsDone,
    RebuildHashes Hashes
);

/// <summary>
/// One rebuild of a projection, holding its lock on <see cref="_session"/>: replays the gap-free log
/// into the shadow tables in batches, each batch in one transaction with the rebuild's checkpoint;
/// once caught up, hashes the shadow and the live model in one snapshot, then swaps the shadow in
/// (see <see cref="TrySwapAsync"/>). Cancelling stops it between or inside a batch, whose transaction
/// rolls back: the live model is never touched before the swap, and the rebuild resumes from its checkpoint.
/// </summary>
public sealed partial class ProjectionRebuild : IAsyncDisposable
{
    private readonly IAsyncProjection _projection;
    private readonly EventStore _store;
    private readonly RebuildOptions _options;
    private readonly NpgsqlConnection _session;
    private readonly ShadowTables _shadows;
    private readonly SafeLogReader _log;
    private readonly int _lockKey;
    private GlobalPosition _position;
    private long _done;
    private long _total;
    private GlobalPosition _counted;

    internal ProjectionRebuild(
        IAsyncProjection projection,
        EventStore store,
        RebuildOptions options,
        NpgsqlConnection session,
        ShadowTables shadows,
        int lockKey,
        RebuildRow row,
        bool resumed
    )
    {
        _lockKey = lockKey;
        _projection = projection;
        _store = store;
        _options = options;
        _session = session;
        _shadows = shadows;
        _log = new SafeLogReader(store);
        Id = row.Id;
        _position = row.Position;
        _done = row.EventsDone;
        Resumed = resumed;
        ResumedFrom = row.Position;
    }

    public long Id { get; }

    public string Projection => _projection.Name;

    /// <summary>Whether this continues an interrupted rebuild (from <see cref="ResumedFrom"/>, keeping its shadow tables).</summary>
    public bool Resumed { get; }

    public GlobalPosition ResumedFrom { get; }

    /// <summary>
    /// Runs the rebuild until it has swapped in. Cancelled, it throws <see cref="OperationCanceledException"/>
    /// and stays resumable; on a transient database failure it records the error and stays resumable;
    /// any other failure (the projection cannot apply an event) ends it as failed and drops its shadow tables.
    /// </summary>
    public async Task<RebuildResult> RunAsync(
        IProgress<RebuildProgress>? progress = null,
        CancellationToken cancellationToken = default
    )
    {
        try
        {
            return await ReplayAndSwapAsync(progress, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            var transient = FailureTracker.IsTransient(exception);
            var error = $"{exception.GetType().Name}: {exception.Message}";
            await RebuildRecords.RecordErrorAsync(
                _store.DataSource,
                Id,
                error,
                failed: !transient,
                CancellationToken.None
            );
            if (!transient)
            {
                await using var connection = await _store.DataSource.OpenConnectionAsync(CancellationToken.None);
                await _shadows.DropAsync(connection, CancellationToken.None);
            }
            throw;
        }
    }

    /// <summary>
    /// Releases the rebuild's lock, then ends the session. Unlocking first makes the release visible at
    /// once: a closed connection's server process may linger a moment, still holding it.
    /// </summary>
    public ValueTask DisposeAsync() => LockSessions.ReleaseAndCloseAsync(_session, RebuildLocks.RebuildKey, _lockKey);

    private async Task<RebuildResult> ReplayAndSwapAsync(
        IProgress<RebuildProgress>? progress,
        CancellationToken cancellationToken
    )
    {
        var clock = Stopwatch.StartNew();
        var runStartDone = _done;
        var lastCount = Stopwatch.StartNew();
        _counted = _position;
        _total = _done;
        // What there is to do is counted on a connection of its own while the first batches replay
        // (a scan of the whole log: 0.17 s of a 2 s rebuild of a million events). Until it is known,
        // the reports say so, and each batch records at least what it has done as the total.
        using var stopCounting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var counting = CountNewAsync(stopCounting.Token);
        var counted = false;
        bool TotalKnown()
        {
            if (!counted && counting.IsCompleted)
            {
                _total = runStartDone + counting.GetAwaiter().GetResult();
                counted = true;
            }
            return counted;
        }
        RebuildHashes? hashes = null;
        void Report(string phase)
        {
            var known = TotalKnown();
            var rate = (_done - runStartDone) / Math.Max(clock.Elapsed.TotalSeconds, 0.001);
            TimeSpan? left = known && rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, _total - _done) / rate) : null;
            progress?.Report(new RebuildProgress(_done, Math.Max(_total, _done), rate, left, phase, known));
        }
        try
        {
            Report("replaying");
            await ReplayInBulkAsync(Report, cancellationToken);
            await counting;
        }
        catch
        {
            // The count is not left running, nor its own failure unobserved, whatever stopped the replay.
            await stopCounting.CancelAsync();
            await counting.ContinueWith(static _ => { }, TaskScheduler.Default);
            throw;
        }
        Report("indexing");
        await _shadows.BuildIndexesAsync(_session, cancellationToken);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = await _log.ReadAsync(_position, _options.BatchSize, _projection.EventTypes, cancellationToken);
            if (batch.Through > _position)
            {
                if (lastCount.Elapsed >= _options.RecountInterval)
                {
                    _total += await CountNewAsync(cancellationToken);
                    lastCount.Restart();
                }
                await ApplyBatchAsync(batch, cancellationToken);
                Report("replaying");
            }
            if (batch.Events.Count == _options.BatchSize)
                continue;
            // Caught up with the head as it was: hash once, then try to swap.
            if (hashes is null)
            {
                Report("hashing");
                hashes = await HashBeforeSwapAsync(cancellationToken);
                await RebuildRecords.RecordHashesAsync(_session, Id, hashes, cancellationToken);
                continue;
            }
            Report("swapping");
            if (await TrySwapAsync(cancellationToken))
            {
                Report("completed");
                return new RebuildResult(Id, Projection, _position, _done, hashes);
            }
        }
    }

    /// <summary>One transaction on the lock's session: move the rebuild's checkpoint (compare-and-set), fill the shadow, commit.</summary>
    private Task ApplyBatchAsync(SafeBatch batch, CancellationToken cancellationToken) =>
        ApplyBatchAsync(batch, batch.Events.Count, _projection.ApplyAsync, cancellationToken);

    /// <summary>
    /// The same with <paramref name="apply"/> filling the shadow, and <paramref name="eventsDone"/> of the
    /// batch's events counted as done (those of the projection's types, when a replay reads wider).
    /// </summary>
    private async Task ApplyBatchAsync(
        SafeBatch batch,
        int eventsDone,
        Func<IReadOnlyList<RecordedEvent>, AsyncProjectionContext, CancellationToken, Task> apply,
        CancellationToken cancellationToken
    )
    {
        await using var transaction = await _session.BeginTransactionAsync(cancellationToken);
        if (
            !await RebuildRecords.AdvanceAsync(
                _session,
                transaction,
                Id,
                _position,
                batch.Through,
                eventsDone,
                _total,
                cancellationToken
            )
        )
            throw new InvalidOperationException(
                $"Rebuild {Id} of '{Projection}' is no longer at {_position}: it was finished or moved elsewhere."
            );
        if (batch.Events.Count > 0)
            await apply(
                batch.Events,
                new AsyncProjectionContext(_session, transaction, _shadows.Shadows),
                cancellationToken
            );
        await transaction.CommitAsync(cancellationToken);
        _position = batch.Through;
        _done += eventsDone;
    }

    /// <summary>
    /// The projection's events finished since the last count (after <see cref="_counted"/>, below the
    /// oldest running writer), and moves <see cref="_counted"/> to the head of that finished part, from
    /// the same snapshot: each recount reads only what is new, not the whole rest of the log again.
    /// Nothing is counted twice or missed: whatever finishes later has a <c>tx_id</c> above that head's.
    /// </summary>
    private async Task<long> CountNewAsync(CancellationToken cancellationToken)
    {
        await using var command = _store.DataSource.CreateCommand(
            """
            select (select count(*) from ledger.events
                    where (tx_id, seq_id) > ($1, $2) and tx_id < pg_snapshot_xmin(pg_current_snapshot())
                      and ($3::text[] is null or type = any ($3))),
                   head.tx_id, head.seq_id
            from (select 1) one
            left join lateral (
                select tx_id, seq_id from ledger.events where tx_id < pg_snapshot_xmin(pg_current_snapshot())
                order by tx_id desc, seq_id desc limit 1
            ) head on true
            """
        );
        command.Parameters.Add(new() { Value = _counted.TransactionId, NpgsqlDbType = NpgsqlDbType.Xid8 });
        command.Parameters.Add(new() { Value = _counted.SequenceId, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(
            new()
            {
                Value = (object?)_projection.EventTypes?.ToArray() ?? DBNull.Value,
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
            }
        );
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (!reader.IsDBNull(1))
            _counted = new GlobalPosition(reader.GetFieldValue<ulong>(1), reader.GetInt64(2));
        return reader.GetInt64(0);
    }
}
