using RelationshipLedger.EventStore.Projections;
using RelationshipLedger.EventStore.Serialization;

namespace RelationshipLedger.EventStore;

/// <summary>How an <see cref="EventStore"/> serializes events and which read models it keeps inline.</summary>
public sealed record EventStoreOptions
{
    public required EventSerializer Serializer { get; init; }

    /// <summary>Run, in order, inside every append's transaction.</summary>
    public IReadOnlyList<IInlineProjection> InlineProjections { get; init; } = [];

    /// <summary>The stream type recorded for streams created without one.</summary>
    public string DefaultStreamType { get; init; } = "stream";
}
