namespace RelationshipLedger.EventStore.Rebuilds;

/// <summary>Where a rebuild is.</summary>
public enum RebuildState
{
    /// <summary>Replaying into the shadow tables (or swapping): a session holds its lock.</summary>
    Running,

    /// <summary>Not finished and nobody runs it (cancelled, its process stopped or lost its connection): starting a rebuild of the projection resumes it from its checkpoint.</summary>
    Interrupted,

    /// <summary>Swapped in: the live tables are the rebuilt ones.</summary>
    Completed,

    /// <summary>Given up on an error (<c>error</c> says which); its shadow tables were dropped, the live model untouched.</summary>
    Failed,
}

/// <summary>
/// A rebuild as operators see it: progress (events done of the total to the head, the rate of the
/// current run, the time left at that rate), the content hashes taken before the swap, the error.
/// </summary>
public sealed record RebuildStatus(
    long Id,
    string Projection,
    RebuildState State,
    GlobalPosition Position,
    long EventsDone,
    long EventsTotal,
    double EventsPerSecond,
    TimeSpan? TimeLeft,
    RebuildHashes? Hashes,
    string? Error,
    string? Node,
    DateTimeOffset StartedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt
);

/// <summary>
/// The shadow's content hash before the swap and, from the same snapshot, the live model's.
/// <paramref name="MatchesLive"/> is null when the two were at different events of the projection's
/// types (the live model behind or ahead), so they could not be compared.
/// </summary>
public sealed record RebuildHashes(ContentHash Shadow, ContentHash Live, bool? MatchesLive);

/// <summary>
/// A rebuild's progress as its runner reports it after each batch. While the events to replay are still
/// being counted (the first moments of a run), <paramref name="TotalKnown"/> is false,
/// <paramref name="EventsTotal"/> is only what is done so far and <paramref name="TimeLeft"/> is null.
/// </summary>
public sealed record RebuildProgress(
    long EventsDone,
    long EventsTotal,
    double EventsPerSecond,
    TimeSpan? TimeLeft,
    string Phase,
    bool TotalKnown = true
);
