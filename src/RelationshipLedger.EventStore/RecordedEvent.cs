namespace RelationshipLedger.EventStore;

/// <summary>
/// An event as stored. Payload and metadata are JSON text: PostgreSQL's jsonb form when read back,
/// the serializer's form in the result of the append that wrote them.
/// </summary>
public sealed record RecordedEvent(
    GlobalPosition Position,
    Guid EventId,
    string StreamId,
    long Version,
    string Type,
    string Data,
    string Metadata,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    ReadOnlyMemory<byte> Hash
);

/// <summary>A recorded event with its payload and metadata deserialized.</summary>
public sealed record EventEnvelope(RecordedEvent Event, object Data, EventMetadata Metadata);
