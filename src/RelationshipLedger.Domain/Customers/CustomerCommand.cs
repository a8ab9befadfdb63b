namespace RelationshipLedger.Domain.Customers;

/// <summary>
/// What a caller asks of a customer's stream. Each command carries its time: when it was issued
/// (the caller's "now") and, optionally, when the fact happened in the business's world.
/// </summary>
public abstract record CustomerCommand
{
    private CustomerCommand() { }

    /// <summary>When the command was issued; business time may not be later than this plus <see cref="CustomerDecider.AllowedClockSkew"/>.</summary>
    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>When it happened (business time); default: <see cref="IssuedAt"/>.</summary>
    public DateTimeOffset? OccurredAt { get; init; }

    public DateTimeOffset EffectiveAt => OccurredAt ?? IssuedAt;

    public sealed record RegisterCustomer(
        string Name,
        CustomerKind Kind,
        string? Segment = null,
        string? Source = null,
        string? OwnerId = null
    ) : CustomerCommand;

    public sealed record UpdateProfile(ProfileChanges Changes) : CustomerCommand;

    public sealed record AssignOwner(string OwnerId, string Reason) : CustomerCommand;

    public sealed record RecordContact(
        string ContactId,
        ContactChannel Channel,
        ContactInitiator Initiator,
        ContactPurpose Purpose,
        CareOccasion? Occasion = null,
        decimal? Cost = null,
        string? Notes = null
    ) : CustomerCommand;

    public sealed record RecordPurchase(string OrderId, decimal Amount, string Currency) : CustomerCommand;

    public sealed record RefundPurchase(string OrderId, decimal Amount, string Reason) : CustomerCommand;

    public sealed record FileComplaint(
        string ComplaintId,
        ComplaintCategory Category,
        ComplaintSeverity Severity,
        string Description
    ) : CustomerCommand;

    public sealed record ResolveComplaint(string ComplaintId, string Resolution, bool CustomerAccepted)
        : CustomerCommand;

    public sealed record RecordSurvey(
        string SurveyId,
        int Rating,
        RepurchaseIntent? RepurchaseIntent = null,
        int? Recommend = null,
        string? Comment = null
    ) : CustomerCommand;

    public sealed record ChangeTier(RelationshipTier To, string Reason, string ApprovedBy) : CustomerCommand;

    public sealed record AssignCareTier(int Tier, decimal AnnualBudget) : CustomerCommand;

    public sealed record FlagChurnRisk(IReadOnlyList<ChurnSignal> Signals) : CustomerCommand;

    public sealed record EndRelationship(EndCause Cause, string? Notes = null) : CustomerCommand;

    public sealed record ReactivateRelationship(string Reason) : CustomerCommand;

    /// <summary>Records that the customer's personal data was erased (the erasure service destroys the key first).</summary>
    public sealed record ErasePersonalData(string Reason) : CustomerCommand;
}
