namespace RelationshipLedger.EventStore.Daemon;

/// <summary>What a projection's checkpoint says it is doing (column <c>state</c> of <c>ledger.projection_checkpoints</c>).</summary>
public enum ProjectionState
{
    /// <summary>Applying events, or idle at the head of the log.</summary>
    Running,

    /// <summary>Backing off after a failure; <c>lastError</c> says which. It goes on by itself.</summary>
    Retrying,

    /// <summary>Stopped at a dead letter until an operator resumes it.</summary>
    Paused,
}

internal static class ProjectionStates
{
    public const string Running = "running";
    public const string Retrying = "retrying";
    public const string Paused = "paused";

    public static ProjectionState Parse(string state) =>
        state switch
        {
            Running => ProjectionState.Running,
            Retrying => ProjectionState.Retrying,
            Paused => ProjectionState.Paused,
            _ => throw new InvalidOperationException(
                $"Unknown projection state '{state}' in ledger.projection_checkpoints."
            ),
        };
}
