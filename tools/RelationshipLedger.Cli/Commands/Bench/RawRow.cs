using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Serialization;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>
/// A row of <c>bench.raw_events</c> as a plain application would write it: the same JSON the store
/// writes, serialized the same way, but with no hash chain (a fixed 32-byte value fills the column).
/// </summary>
internal readonly record struct RawRow(
    Guid EventId,
    string StreamId,
    long Version,
    string Type,
    string Data,
    string Metadata,
    DateTime OccurredAt
)
{
    public static readonly byte[] PlaceholderHash = new byte[32];

    public const string Columns = "event_id, stream_id, version, type, data, metadata, occurred_at, recorded_at, hash";

    public static RawRow From(EventSerializer serializer, EventToAppend appended, string streamId, long version)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        ArgumentNullException.ThrowIfNull(appended);
        var (type, data) = serializer.Serialize(appended.Data);
        return new RawRow(
            Guid.CreateVersion7(),
            streamId,
            version,
            type,
            data,
            serializer.SerializeMetadata(appended.Metadata),
            DateTime.UtcNow
        );
    }
}
