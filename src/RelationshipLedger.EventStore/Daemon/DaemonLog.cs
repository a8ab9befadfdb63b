using Microsoft.Extensions.Logging;

namespace RelationshipLedger.EventStore.Daemon;

/// <summary>The daemon's log messages.</summary>
internal static partial class DaemonLog
{
    [LoggerMessage(
        Level = LogLevel.Information,
        Message = "Projection daemon on node {Node} starts {Count} projection(s): {Names}."
    )]
    public static partial void Starting(ILogger logger, string node, int count, string names);

    [LoggerMessage(Level = LogLevel.Information, Message = "Projection daemon on node {Node} stopped.")]
    public static partial void Stopped(ILogger logger, string node);

    [LoggerMessage(
        Level = LogLevel.Information,
        Message = "Projection {Projection}: this node runs it now, from position {Position} ({State})."
    )]
    public static partial void TookOver(
        ILogger logger,
        string projection,
        GlobalPosition position,
        ProjectionState state
    );

    [LoggerMessage(
        Level = LogLevel.Debug,
        Message = "Projection {Projection}: another session holds its lock; standing by."
    )]
    public static partial void StandingBy(ILogger logger, string projection);

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Projection {Projection}: its session failed; it is given up and will be taken again after {Delay}."
    )]
    public static partial void SessionLost(ILogger logger, string projection, TimeSpan delay, Exception exception);

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Projection {Projection}: a batch of {Count} event(s) after {Position} failed (attempt {Attempts} of the event applied alone); retrying in {Delay}."
    )]
    public static partial void BatchFailed(
        ILogger logger,
        string projection,
        int count,
        GlobalPosition position,
        int attempts,
        TimeSpan delay,
        Exception exception
    );

    [LoggerMessage(
        Level = LogLevel.Error,
        Message = "Projection {Projection}: event {Type} of '{StreamId}' version {Version} at {Position} failed {Attempts} times; it is dead-lettered and the projection is paused."
    )]
    public static partial void DeadLettered(
        ILogger logger,
        string projection,
        string type,
        string streamId,
        long version,
        GlobalPosition position,
        int attempts,
        Exception exception
    );

    [LoggerMessage(Level = LogLevel.Information, Message = "Projection {Projection}: resumed at {Position}.")]
    public static partial void Resumed(ILogger logger, string projection, GlobalPosition position);

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Projection {Projection}: its checkpoint moved under it (expected {Expected}); reading it again."
    )]
    public static partial void CheckpointMoved(ILogger logger, string projection, GlobalPosition expected);
}
