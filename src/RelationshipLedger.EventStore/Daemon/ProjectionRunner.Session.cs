using Npgsql;

namespace RelationshipLedger.EventStore.Daemon;

internal sealed partial class ProjectionRunner
{
    private static readonly TimeSpan FirstHeldBackWait = TimeSpan.FromMilliseconds(20);

    private int _notified;
    private TimeSpan _heldBackWait = FirstHeldBackWait;

    /// <summary>
    /// A session of its own (not pooled: closing it must end it, and with it the lock) holding the
    /// projection's lock, or null when another session holds it.
    /// </summary>
    private async Task<NpgsqlConnection?> TryTakeLockAsync(int lockKey, CancellationToken stop)
    {
        var session = await OpenSessionAsync(stop);
        try
        {
            if (await LockSessions.TryLockAsync(session, ProjectionLocks.DaemonKey, lockKey, stop))
                return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
        await session.DisposeAsync();
        return null;
    }

    private async Task<NpgsqlConnection> OpenSessionAsync(CancellationToken stop)
    {
        // A read model is a fold of the log: a batch whose commit a crash loses takes its checkpoint
        // with it, and is applied again. So its commit need not wait for the disk (docs/projections.md).
        var session = await LockSessions.OpenAsync(
            _dataSource,
            ProjectionLocks.ApplicationName(_options.NodeName),
            "-c synchronous_commit=off",
            stop
        );
        session.Notification += (_, _) => Volatile.Write(ref _notified, 1);
        return session;
    }

    /// <summary>Wakes the runner when events commit (if the log notifies) or an operator resumes a projection.</summary>
    private async Task ListenAsync(NpgsqlConnection session, CancellationToken stop)
    {
        await using var command = new NpgsqlCommand(
            $"listen {LedgerDatabase.QuoteIdentifier(_options.EventsChannel)}; "
                + $"listen {LedgerDatabase.QuoteIdentifier(ProjectionOperations.ControlChannel)}",
            session
        );
        await command.ExecuteNonQueryAsync(stop);
    }

    /// <summary>
    /// Idles until a notification arrives or the poll interval passes; while an open transaction
    /// holds committed events back, for a short, doubling interval instead.
    /// </summary>
    private async Task WaitForEventsAsync(NpgsqlConnection session, bool heldBack, CancellationToken stop)
    {
        TimeSpan timeout;
        if (heldBack)
        {
            timeout = _heldBackWait < _options.PollInterval ? _heldBackWait : _options.PollInterval;
            _heldBackWait = timeout * 2;
        }
        else
        {
            timeout = _options.PollInterval;
            _heldBackWait = FirstHeldBackWait;
        }
        if (Interlocked.Exchange(ref _notified, 0) == 1)
            return;
        await session.WaitAsync(timeout, stop);
        Interlocked.Exchange(ref _notified, 0);
    }
}
