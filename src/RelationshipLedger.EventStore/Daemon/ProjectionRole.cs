namespace RelationshipLedger.EventStore.Daemon;

/// <summary>What this process's runner of a projection is doing.</summary>
public enum ProjectionRole
{
    /// <summary>Not started yet, or stopped.</summary>
    Stopped,

    /// <summary>Another session holds the projection's lock; this runner tries again periodically.</summary>
    Standby,

    /// <summary>This runner holds the lock and applies events.</summary>
    Active,

    /// <summary>This runner holds the lock and waits for an operator to resume the projection.</summary>
    Paused,
}

/// <summary>A projection as this process's daemon runs it.</summary>
public sealed record ProjectionRunnerStatus(string Name, ProjectionRole Role);
