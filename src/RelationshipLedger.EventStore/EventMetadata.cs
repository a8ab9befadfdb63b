namespace RelationshipLedger.EventStore;

/// <summary>Who recorded an event, why, and which request or event led to it.</summary>
public sealed record EventMetadata
{
    public static EventMetadata Empty { get; } = new();

    public string? Actor { get; init; }

    public string? CorrelationId { get; init; }

    public string? CausationId { get; init; }

    public string? Reason { get; init; }

    /// <summary>Anything else a caller wants kept with the event (request id, client, …).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }
}
