using Npgsql;

namespace RelationshipLedger.EventStore.Projections;

/// <summary>
/// An inline projection that can say, before the append is sent, every statement it will run: the
/// store then sends the append and all projections' statements in one <see cref="NpgsqlBatch"/>, one
/// round trip and one implicit transaction (a failing statement rolls back the whole batch and skips
/// the rest). When any projection returns null from <see cref="Plan"/> — it must read the database
/// first — the store runs every projection through <see cref="IInlineProjection.ApplyAsync"/> in an
/// explicit transaction instead, so both paths must write the same rows.
/// </summary>
public interface IPlannedInlineProjection : IInlineProjection
{
    /// <summary>
    /// The statements for <paramref name="append"/> (empty: nothing to write), or null when this
    /// projection cannot know them without reading. Called once per attempt, before the append is sent;
    /// the append may still fail, so nothing done here may assume it committed.
    /// </summary>
    IReadOnlyList<NpgsqlBatchCommand>? Plan(PlannedAppend append);
}

/// <summary>
/// An append about to be sent: the stream, the version it will reach (the expected version is exact,
/// so every event's version is known) and the events as the caller gave them. <see cref="PlannedAt"/>
/// is an instant this process took just before sending, in whole microseconds: a projection that needs
/// "the instant of the append" uses it, since the database's <c>recorded_at</c> is not known yet.
/// </summary>
public sealed record PlannedAppend(
    string StreamId,
    string StreamType,
    long StreamVersion,
    IReadOnlyList<PlannedEvent> Events,
    DateTimeOffset PlannedAt
);

/// <summary>One event of a <see cref="PlannedAppend"/>; <see cref="OccurredAt"/> is null when the database will default it to <c>recorded_at</c>.</summary>
public sealed record PlannedEvent(
    Guid EventId,
    long Version,
    object Data,
    EventMetadata Metadata,
    DateTimeOffset? OccurredAt
);
