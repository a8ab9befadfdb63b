using Npgsql;

namespace RelationshipLedger.EventStore.Daemon;

/// <summary>What a runner does after a failed batch.</summary>
internal enum FailureAction
{
    /// <summary>Wait <see cref="FailureTracker.Delay"/> and try again.</summary>
    Retry,

    /// <summary>The event applied alone has failed too often: dead-letter it and pause.</summary>
    DeadLetter,
}

/// <summary>
/// A runner's failures in a row: exponential back-off, and the isolation of an event that keeps
/// failing. A transient failure (the database unreachable, a deadlock, a serialization failure) is
/// retried for as long as it lasts. Any other failure of a batch makes the runner apply the events
/// of that batch one at a time; an event that then fails <see cref="ProjectionDaemonOptions.MaxAttempts"/>
/// times alone is dead-lettered.
/// </summary>
internal sealed class FailureTracker(ProjectionDaemonOptions options)
{
    private int _inARow;
    private GlobalPosition? _isolateThrough;
    private GlobalPosition? _failingEvent;

    /// <summary>How many times the event at the head has failed alone.</summary>
    public int Attempts { get; private set; }

    /// <summary>The pause before the next try.</summary>
    public TimeSpan Delay { get; private set; }

    /// <summary>One event at a time while the checkpoint is inside a batch that failed, else a full batch.</summary>
    public int BatchLimit(GlobalPosition checkpoint) =>
        _isolateThrough is { } through && checkpoint < through ? 1 : options.BatchSize;

    public void Succeeded(GlobalPosition checkpoint)
    {
        _inARow = 0;
        Delay = TimeSpan.Zero;
        if (_failingEvent is { } failing && failing <= checkpoint)
        {
            _failingEvent = null;
            Attempts = 0;
        }
        if (_isolateThrough is { } through && through <= checkpoint)
            _isolateThrough = null;
    }

    /// <summary>Resets everything: after a pause is lifted or the runner takes a projection afresh.</summary>
    public void Reset()
    {
        _inARow = 0;
        _isolateThrough = null;
        _failingEvent = null;
        Attempts = 0;
        Delay = TimeSpan.Zero;
    }

    public FailureAction Failed(IReadOnlyList<RecordedEvent> batch, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        _inARow++;
        var exponent = Math.Min(_inARow - 1, 20);
        Delay = TimeSpan.FromTicks(
            Math.Min(options.RetryBaseDelay.Ticks * (1L << exponent), options.MaxRetryDelay.Ticks)
        );
        if (IsTransient(exception) || batch.Count == 0)
            return FailureAction.Retry;
        if (batch.Count > 1)
        {
            _isolateThrough = batch[^1].Position;
            return FailureAction.Retry;
        }
        if (_failingEvent != batch[0].Position)
        {
            _failingEvent = batch[0].Position;
            Attempts = 0;
        }
        Attempts++;
        return Attempts >= options.MaxAttempts ? FailureAction.DeadLetter : FailureAction.Retry;
    }

    /// <summary>
    /// Failures that say nothing about the event: the connection, the server going away or running
    /// short, lock and serialization conflicts (Npgsql's <see cref="NpgsqlException.IsTransient"/>
    /// covers SQLSTATE classes 08, 53, 57P and 40001/40P01), timeouts, and a privilege the database
    /// refuses the role (42501: a grant missing on a read model's table), which lasts until an operator
    /// grants it and must not dead-letter the events that met it meanwhile; likewise a column this
    /// process writes that a newer migration dropped (42703: an old node while an upgrade rolls out,
    /// docs/operations.md), which lasts until the node runs the new build.
    /// </summary>
    public static bool IsTransient(Exception exception) =>
        exception switch
        {
            PostgresException postgres => postgres.IsTransient
                || postgres.SqlState
                    is PostgresErrorCodes.LockNotAvailable
                        or PostgresErrorCodes.QueryCanceled
                        or PostgresErrorCodes.AdminShutdown
                        or PostgresErrorCodes.InsufficientPrivilege
                        or PostgresErrorCodes.UndefinedColumn,
            NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is IOException or TimeoutException,
            TimeoutException or IOException => true,
            _ => false,
        };
}
