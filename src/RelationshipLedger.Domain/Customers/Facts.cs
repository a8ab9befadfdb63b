namespace RelationshipLedger.Domain.Customers;

/// <summary>Where an event sits: its version in the stream and when it happened (business time).</summary>
public readonly record struct EventMoment(long Version, DateTimeOffset At);

public sealed record CustomerProfile(
    string? Address = null,
    string? ContactPerson = null,
    string? Phone = null,
    string? Email = null,
    DateOnly? Birthday = null,
    string? Preferences = null
);

public sealed record OwnerAssignment(string OwnerId, string? Reason, EventMoment Moment);

public sealed record TierChange(
    RelationshipTier From,
    RelationshipTier To,
    string Reason,
    string ApprovedBy,
    EventMoment Moment
);

public sealed record Order(string OrderId, decimal Amount, string Currency, decimal Refunded, EventMoment Moment)
{
    public decimal Remaining => Amount - Refunded;
}

/// <summary>A purchase (positive) or a refund, as it counts toward net revenue.</summary>
public sealed record RevenueFact(string OrderId, decimal Amount, EventMoment Moment);

public sealed record ContactFact(
    string ContactId,
    ContactChannel Channel,
    ContactInitiator Initiator,
    ContactPurpose Purpose,
    CareOccasion? Occasion,
    decimal? Cost,
    EventMoment Moment
);

public sealed record ComplaintFact(
    string ComplaintId,
    ComplaintCategory Category,
    ComplaintSeverity Severity,
    EventMoment Filed,
    EventMoment? Resolved = null,
    bool? CustomerAccepted = null
)
{
    public bool IsOpen => Resolved is null;
}

public sealed record SurveyFact(
    string SurveyId,
    int Rating,
    int? Recommend,
    RepurchaseIntent? Intent,
    EventMoment Moment
);

public sealed record CareTierFact(int Tier, decimal AnnualBudget, EventMoment Moment);

/// <summary>A <c>RelationshipEnded</c> (Ended = true) or <c>RelationshipReactivated</c>.</summary>
public sealed record LifecycleFact(bool Ended, EndCause? Cause, EventMoment Moment);

public sealed record ChurnFlag(IReadOnlyList<ChurnSignal> Signals, EventMoment Moment);
