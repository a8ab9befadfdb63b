namespace RelationshipLedger.EventStore.Daemon;

/// <summary>
/// A projection as any node sees it in the database.
/// </summary>
/// <param name="Position">Every event of its types up to here is applied.</param>
/// <param name="LagEvents">Committed events of its types after <paramref name="Position"/>.</param>
/// <param name="LagSeconds">How long the first of those has been in the log (0 when there is none).</param>
/// <param name="LastError">Why it is retrying or paused; null while it runs cleanly.</param>
/// <param name="Holder">The node whose session holds its lock and so runs it; null when none does.</param>
/// <param name="DeadLetter">The dead letter it is paused at, if it is.</param>
public sealed record ProjectionStatus(
    string Name,
    ProjectionState State,
    GlobalPosition Position,
    long LagEvents,
    double LagSeconds,
    string? LastError,
    string? Holder,
    long EventsApplied,
    DateTimeOffset UpdatedAt,
    DeadLetter? DeadLetter
);

/// <summary>An event a projection gave up on after <paramref name="Attempts"/> tries, and what became of it.</summary>
/// <param name="Resolution"><c>retried</c> or <c>skipped</c> once an operator resumed the projection; null before.</param>
public sealed record DeadLetter(
    long Id,
    string Projection,
    GlobalPosition Position,
    Guid EventId,
    string StreamId,
    long Version,
    string Type,
    string Error,
    int Attempts,
    DateTimeOffset RecordedAt,
    DateTimeOffset? ResolvedAt,
    string? Resolution
);

/// <summary>What <see cref="ProjectionOperations.ResumeAsync"/> did.</summary>
public enum ResumeOutcome
{
    Resumed,
    NotPaused,
    UnknownProjection,
}
