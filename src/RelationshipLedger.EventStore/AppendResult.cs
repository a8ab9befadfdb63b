namespace RelationshipLedger.EventStore;

/// <summary>What an acknowledged append wrote: the stream's new version and each event as recorded.</summary>
public sealed record AppendResult(string StreamId, long StreamVersion, IReadOnlyList<RecordedEvent> Events)
{
    public DateTimeOffset RecordedAt => Events[^1].RecordedAt;

    public GlobalPosition LastPosition => Events[^1].Position;
}
