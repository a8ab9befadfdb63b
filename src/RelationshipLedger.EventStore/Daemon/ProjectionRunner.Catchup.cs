using System.Data;
using System.Diagnostics;
using Npgsql;
using RelationshipLedger.EventStore.Projections;

namespace RelationshipLedger.EventStore.Daemon;

internal sealed partial class ProjectionRunner
{
    private long _lastRead;
    private bool _caughtUp;

    /// <summary>Runs the projection on <paramref name="session"/>, which holds its lock, until stopped or the session fails.</summary>
    private async Task LeadAsync(NpgsqlConnection session, CancellationToken stop)
    {
        _failures.Reset();
        await Checkpoints.ClaimAsync(session, Name, _options.NodeName, stop);
        await ListenAsync(session, stop);
        var checkpoint = await Checkpoints.LoadAsync(session, Name, stop);
        DaemonLog.TookOver(_logger, Name, checkpoint.Position, checkpoint.State);
        while (true)
        {
            stop.ThrowIfCancellationRequested();
            if (checkpoint.State == ProjectionState.Paused)
            {
                Role = ProjectionRole.Paused;
                await WaitForEventsAsync(session, heldBack: false, stop);
                checkpoint = await Checkpoints.LoadAsync(session, Name, stop);
                if (checkpoint.State != ProjectionState.Paused)
                {
                    _failures.Reset();
                    DaemonLog.Resumed(_logger, Name, checkpoint.Position);
                }
                continue;
            }
            Role = ProjectionRole.Active;
            checkpoint = await StepAsync(session, checkpoint, stop);
        }
    }

    /// <summary>Reads the next batch and applies it, or waits for one; the checkpoint afterwards.</summary>
    private async Task<Checkpoint> StepAsync(NpgsqlConnection session, Checkpoint checkpoint, CancellationToken stop)
    {
        await PaceAsync(stop);
        SafeBatch batch;
        var limit = _failures.BatchLimit(checkpoint.Position);
        try
        {
            _lastRead = Stopwatch.GetTimestamp();
            batch = await _log.ReadAsync(checkpoint.Position, limit, _projection.EventTypes, stop);
        }
        catch (Exception exception) when (FailureTracker.IsTransient(exception) && !stop.IsCancellationRequested)
        {
            return await FailedAsync(session, [], checkpoint, exception, stop);
        }

        if (batch.Through <= checkpoint.Position)
        {
            await WaitForEventsAsync(session, batch.HeldBack, stop);
            // Also proves the session (and so the lock) is still alive, and sees a pause or a resume.
            return await Checkpoints.LoadAsync(session, Name, stop);
        }
        try
        {
            if (!await ApplyAsync(session, batch, checkpoint.Position, stop))
            {
                DaemonLog.CheckpointMoved(_logger, Name, checkpoint.Position);
                return await Checkpoints.LoadAsync(session, Name, stop);
            }
        }
        catch (Exception exception) when (!stop.IsCancellationRequested && session.FullState == ConnectionState.Open)
        {
            return await FailedAsync(session, batch.Events, checkpoint, exception, stop);
        }
        _failures.Succeeded(batch.Through);
        _caughtUp = batch.Events.Count < limit;
        return new Checkpoint(batch.Through, ProjectionState.Running);
    }

    /// <summary>After a batch that reached the head, waits out the rest of the projection's minimum batch interval.</summary>
    private async Task PaceAsync(CancellationToken stop)
    {
        if (!_caughtUp)
            return;
        _caughtUp = false;
        var rest = _options.MinimumBatchIntervalOf(_projection) - Stopwatch.GetElapsedTime(_lastRead);
        if (rest > TimeSpan.Zero)
            await Task.Delay(rest, stop);
    }

    /// <summary>
    /// One transaction on the lock's session: move the checkpoint (which locks its row and checks that
    /// it is still where this runner read it), apply the events, commit. False when the checkpoint had moved.
    /// </summary>
    private async Task<bool> ApplyAsync(
        NpgsqlConnection session,
        SafeBatch batch,
        GlobalPosition from,
        CancellationToken stop
    )
    {
        await using var transaction = await session.BeginTransactionAsync(stop);
        if (!await Checkpoints.AdvanceAsync(session, transaction, Name, from, batch.Through, batch.Events.Count, stop))
            return false;
        if (batch.Events.Count > 0)
            await _projection.ApplyAsync(batch.Events, new AsyncProjectionContext(session, transaction, _tables), stop);
        await transaction.CommitAsync(stop);
        return true;
    }

    /// <summary>Backs off after a failure, or dead-letters the event that keeps failing alone and pauses.</summary>
    private async Task<Checkpoint> FailedAsync(
        NpgsqlConnection session,
        IReadOnlyList<RecordedEvent> events,
        Checkpoint checkpoint,
        Exception exception,
        CancellationToken stop
    )
    {
        var error = $"{exception.GetType().Name}: {exception.Message}";
        if (_failures.Failed(events, exception) == FailureAction.DeadLetter)
        {
            var poison = events[0];
            DaemonLog.DeadLettered(
                _logger,
                Name,
                poison.Type,
                poison.StreamId,
                poison.Version,
                poison.Position,
                _failures.Attempts,
                exception
            );
            return await Checkpoints.PauseAsync(
                session,
                Name,
                checkpoint.Position,
                poison,
                error,
                _failures.Attempts,
                stop
            )
                ? checkpoint with
                {
                    State = ProjectionState.Paused,
                }
                : await Checkpoints.LoadAsync(session, Name, stop);
        }
        DaemonLog.BatchFailed(
            _logger,
            Name,
            events.Count,
            checkpoint.Position,
            _failures.Attempts,
            _failures.Delay,
            exception
        );
        // The reason is shown while the runner backs off; a session too broken to record it fails on
        // its next statement and is given up.
        if (session.FullState == ConnectionState.Open)
            await Checkpoints.MarkRetryingAsync(session, Name, error, stop);
        await Task.Delay(_failures.Delay, stop);
        return checkpoint;
    }
}
