using RelationshipLedger.EventStore;

namespace RelationshipLedger.Application.Feed;

/// <summary>
/// An event as auditors and data teams see it, the same in a customer's raw stream, the feed and the
/// NDJSON export: payload and metadata as stored (written as they are, <see cref="StoredJson"/>), the
/// customer (stream) it belongs to, its version, its place in the global log (the feed's cursor), both
/// times and its hash.
/// </summary>
public sealed record AuditEvent(
    Guid EventId,
    string CustomerId,
    long Version,
    string Position,
    string Type,
    StoredJson Data,
    StoredJson Metadata,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    string Hash
)
{
    public static AuditEvent From(RecordedEvent recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        return new(
            recorded.EventId,
            recorded.StreamId,
            recorded.Version,
            recorded.Position.ToString(),
            recorded.Type,
            new StoredJson(recorded.Data),
            new StoredJson(recorded.Metadata),
            recorded.OccurredAt,
            recorded.RecordedAt,
            Convert.ToHexStringLower(recorded.Hash.Span)
        );
    }
}
