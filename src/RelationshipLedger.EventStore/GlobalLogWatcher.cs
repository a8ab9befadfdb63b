namespace RelationshipLedger.EventStore;

/// <summary>
/// Tells live readers of the global log when there may be more to read: it polls
/// <see cref="EventStore.GetReadableHeadAsync"/> once per interval for the whole process, however many
/// readers follow the log, and not at all while nobody does. A reader takes <see cref="NextAdvance"/>
/// before it reads, so an advance during its read is not missed, and waits on it once caught up.
/// </summary>
/// <remarks>
/// PostgreSQL's LISTEN/NOTIFY would wake readers without polling, but a transaction that notifies
/// holds a cluster-wide lock from its commit until its commit record is flushed, so appends that
/// notify cannot share a WAL flush: measured, eight concurrent appenders lost over half their
/// throughput (docs/feed.md). Polling the head costs the writers nothing.
/// </remarks>
public sealed class GlobalLogWatcher : IDisposable
{
    private readonly EventStore _store;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _firstFollower = new(0);
    private TaskCompletionSource _advance = NewAdvance();
    private GlobalPosition? _head;
    private int _followers;

    public GlobalLogWatcher(EventStore store, TimeSpan interval, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _store = store;
        _interval = interval;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Completes when the readable head next moves.</summary>
    public Task NextAdvance => Volatile.Read(ref _advance).Task;

    /// <summary>Counts the caller as a follower until the result is disposed; the watcher polls while anyone follows.</summary>
    public IDisposable Follow()
    {
        if (Interlocked.Increment(ref _followers) == 1)
            _firstFollower.Release();
        return new Following(this);
    }

    /// <summary>
    /// Polls the head while anyone follows, until <paramref name="cancellationToken"/> is cancelled.
    /// A database error ends the call; the host logs it and calls again.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            while (Volatile.Read(ref _followers) == 0)
                await _firstFollower.WaitAsync(cancellationToken);
            var head = await _store.GetReadableHeadAsync(cancellationToken);
            if (head != _head)
            {
                _head = head;
                Interlocked.Exchange(ref _advance, NewAdvance()).TrySetResult();
            }
            await Task.Delay(_interval, _timeProvider, cancellationToken);
        }
    }

    public void Dispose() => _firstFollower.Dispose();

    private static TaskCompletionSource NewAdvance() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Following(GlobalLogWatcher watcher) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                Interlocked.Decrement(ref watcher._followers);
        }
    }
}
