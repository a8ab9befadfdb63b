using RelationshipLedger.EventStore.Projections;

namespace RelationshipLedger.EventStore.Daemon;

/// <summary>How the projection daemon batches, waits, retries and names itself.</summary>
public sealed record ProjectionDaemonOptions
{
    /// <summary>The most events applied in one transaction.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>
    /// The longest an idle runner waits for new events when no notification wakes it. While an open
    /// transaction holds committed events back, it looks again sooner (from 20 ms, doubling up to this).
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The shortest time from one read of the log to the next once a runner has caught up with the head
    /// (its last batch was not full). Under sustained appends a runner would otherwise apply a batch of
    /// whatever one apply's duration let in, again and again, and keep a core busy with per-batch work
    /// (state_history refolds every customer a batch touches); waiting lets each batch gather this
    /// interval's events. A runner behind the head reads on at once. Lag stays under this plus one apply.
    /// </summary>
    public TimeSpan MinimumBatchInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The <see cref="MinimumBatchInterval"/> of <paramref name="projection"/>: its own, else the daemon's.</summary>
    public TimeSpan MinimumBatchIntervalOf(IAsyncProjection projection)
    {
        ArgumentNullException.ThrowIfNull(projection);
        return projection.MinimumBatchInterval ?? MinimumBatchInterval;
    }

    /// <summary>How often a standby tries to take a projection whose lock another session holds.</summary>
    public TimeSpan StandbyRetryInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The first pause after a failure; each further failure in a row doubles it.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest pause between retries.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times one event, applied alone, may fail before it is dead-lettered and the projection pauses.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>This process as operators see it (in the status and in <c>pg_stat_activity</c>).</summary>
    public string NodeName { get; init; } = $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <summary>
    /// The channel a trigger on the log may NOTIFY when events commit; runners LISTEN on it and wake
    /// at once. Without such a trigger they find new events within <see cref="PollInterval"/>.
    /// </summary>
    public string EventsChannel { get; init; } = "ledger_events";

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1, nameof(MaxAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PollInterval, TimeSpan.Zero, nameof(PollInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinimumBatchInterval, TimeSpan.Zero, nameof(MinimumBatchInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(
            StandbyRetryInterval,
            TimeSpan.Zero,
            nameof(StandbyRetryInterval)
        );
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RetryBaseDelay, TimeSpan.Zero, nameof(RetryBaseDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetryDelay, RetryBaseDelay, nameof(MaxRetryDelay));
        ArgumentException.ThrowIfNullOrWhiteSpace(NodeName, nameof(NodeName));
        ArgumentException.ThrowIfNullOrWhiteSpace(EventsChannel, nameof(EventsChannel));
    }
}
