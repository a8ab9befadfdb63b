namespace RelationshipLedger.EventStore;

/// <summary>
/// An event to append: its payload (a registered event type) and optionally its id, its business
/// time (default: the time it is recorded) and its metadata.
/// </summary>
public sealed record EventToAppend(object Data)
{
    /// <summary>Unique across the log; a new one is made when not given.</summary>
    public Guid? EventId { get; init; }

    /// <summary>When it happened in the business's world; default: when it is recorded.</summary>
    public DateTimeOffset? OccurredAt { get; init; }

    public EventMetadata Metadata { get; init; } = EventMetadata.Empty;
}
