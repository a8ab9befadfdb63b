using System.Collections.Immutable;

namespace RelationshipLedger.Domain.Customers;

/// <summary>
/// A customer's folded history: who they are and every fact the rules need, each with its
/// instant and version, so the same state answers questions about any instant up to its last event.
/// </summary>
public sealed record CustomerState
{
    public static CustomerState Initial { get; } = new();

    public bool IsRegistered { get; init; }

    /// <summary>The highest version folded (0 before any).</summary>
    public long Version { get; init; }

    /// <summary>The latest business instant among all events folded (whatever their order).</summary>
    public DateTimeOffset LatestOccurredAt { get; init; } = DateTimeOffset.MinValue;

    public EventMoment Registered { get; init; }

    public string Name { get; init; } = "";

    /// <summary>When <see cref="Name"/> was set: the latest in business time wins, whatever the fold order.</summary>
    public EventMoment NameSetAt { get; init; }

    public CustomerKind Kind { get; init; }

    public string? Segment { get; init; }

    public string? Source { get; init; }

    public CustomerProfile Profile { get; init; } = new();

    public string? OwnerId { get; init; }

    public AppendOnlyList<OwnerAssignment> Owners { get; init; } = [];

    public RelationshipTier Tier { get; init; } = RelationshipTier.Transactional;

    public AppendOnlyList<TierChange> TierChanges { get; init; } = [];

    /// <summary>The currency of the account: that of its first purchase.</summary>
    public string? Currency { get; init; }

    public ImmutableDictionary<string, Order> Orders { get; init; } = ImmutableDictionary<string, Order>.Empty;

    public AppendOnlyList<RevenueFact> Purchases { get; init; } = [];

    public AppendOnlyList<RevenueFact> Refunds { get; init; } = [];

    public AppendOnlyList<ContactFact> Contacts { get; init; } = [];

    public ImmutableDictionary<string, ComplaintFact> Complaints { get; init; } =
        ImmutableDictionary<string, ComplaintFact>.Empty;

    public AppendOnlyList<SurveyFact> Surveys { get; init; } = [];

    public CareTierFact? Care { get; init; }

    public AppendOnlyList<LifecycleFact> Lifecycle { get; init; } = [];

    public AppendOnlyList<ChurnFlag> ChurnFlags { get; init; } = [];

    /// <summary>
    /// The rules' sorted view of this state, or of the state it was evolved from (<c>with</c> copies
    /// it), which <see cref="Rules.CustomerFacts.Of"/> extends instead of building anew. A memo, not
    /// part of what the state says: it is never serialized, and states are compared by their JSON.
    /// </summary>
    internal Rules.CustomerFacts? Facts;

    /// <summary>Whether the latest lifecycle event appended is <c>RelationshipEnded</c>.</summary>
    public bool IsEnded => Lifecycle.Count > 0 && Lifecycle[^1].Ended;

    public bool HasContact(string contactId) => Contacts.Any(c => c.ContactId == contactId);

    public bool HasSurvey(string surveyId) => Surveys.Any(s => s.SurveyId == surveyId);
}
