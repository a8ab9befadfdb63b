using RelationshipLedger.EventStore;

namespace RelationshipLedger.Application.Customers;

/// <summary>
/// Who issues a command and how: the actor and correlation recorded as event metadata, an optional
/// reason, and the stream version the caller insists on (If-Match) — without one, a lost race is
/// retried on fresh state.
/// </summary>
public sealed record CommandContext(string Actor)
{
    public string? CorrelationId { get; init; }

    public string? CausationId { get; init; }

    public string? Reason { get; init; }

    /// <summary>The version the stream must be at; null lets the handler retry a lost race.</summary>
    public long? ExpectedVersion { get; init; }

    /// <summary>Extra metadata headers recorded with the events (e.g. the idempotency key).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Ids for the events the command produces, in order (imports keep theirs); new ones otherwise.</summary>
    public IReadOnlyList<Guid>? EventIds { get; init; }

    internal EventMetadata Metadata =>
        new()
        {
            Actor = Actor,
            CorrelationId = CorrelationId,
            CausationId = CausationId,
            Reason = Reason,
            Headers = Headers,
        };
}
