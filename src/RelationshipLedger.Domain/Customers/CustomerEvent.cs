namespace RelationshipLedger.Domain.Customers;

/// <summary>
/// Everything that can happen in a customer's stream (event catalogue v1). When, who and why are
/// the store's metadata (occurredAt, recordedAt, actor, reason), not part of the payloads.
/// </summary>
public abstract record CustomerEvent
{
    private CustomerEvent() { }

    public sealed record CustomerRegistered(
        string Name,
        CustomerKind Kind,
        string? Segment = null,
        string? Source = null,
        string? OwnerId = null
    ) : CustomerEvent;

    public sealed record CustomerProfileUpdated(ProfileChanges Changes) : CustomerEvent;

    public sealed record AccountOwnerAssigned(string OwnerId, string Reason) : CustomerEvent;

    public sealed record ContactRecorded(
        string ContactId,
        ContactChannel Channel,
        ContactInitiator Initiator,
        ContactPurpose Purpose,
        CareOccasion? Occasion = null,
        decimal? Cost = null,
        string? Notes = null
    ) : CustomerEvent;

    public sealed record PurchaseRecorded(string OrderId, decimal Amount, string Currency) : CustomerEvent;

    public sealed record PurchaseRefunded(string OrderId, decimal Amount, string Reason) : CustomerEvent;

    public sealed record ComplaintFiled(
        string ComplaintId,
        ComplaintCategory Category,
        ComplaintSeverity Severity,
        string Description
    ) : CustomerEvent;

    public sealed record ComplaintResolved(string ComplaintId, string Resolution, bool CustomerAccepted)
        : CustomerEvent;

    public sealed record SatisfactionSurveyed(
        string SurveyId,
        int Rating,
        RepurchaseIntent? RepurchaseIntent = null,
        int? Recommend = null,
        string? Comment = null
    ) : CustomerEvent;

    public sealed record TierChanged(RelationshipTier From, RelationshipTier To, string Reason, string ApprovedBy)
        : CustomerEvent;

    public sealed record CareTierAssigned(int Tier, decimal AnnualBudget) : CustomerEvent;

    public sealed record ChurnRiskFlagged(IReadOnlyList<ChurnSignal> Signals) : CustomerEvent
    {
        public bool Equals(ChurnRiskFlagged? other) => other is not null && Signals.SequenceEqual(other.Signals);

        public override int GetHashCode() => Signals.Aggregate(17, (hash, signal) => (hash * 31) + (int)signal);
    }

    public sealed record RelationshipEnded(EndCause Cause, string? Notes = null) : CustomerEvent;

    public sealed record RelationshipReactivated(string Reason) : CustomerEvent;

    /// <summary>The customer's personal data was erased (its key destroyed): why, and nothing personal.</summary>
    public sealed record PersonalDataErased(string Reason) : CustomerEvent;

    /// <summary>The stable names events are stored under; a changed payload shape gets a new name and an upcaster.</summary>
    public static IReadOnlyDictionary<Type, string> TypeNames { get; } =
        new Dictionary<Type, string>
        {
            [typeof(CustomerRegistered)] = nameof(CustomerRegistered),
            [typeof(CustomerProfileUpdated)] = nameof(CustomerProfileUpdated),
            [typeof(AccountOwnerAssigned)] = nameof(AccountOwnerAssigned),
            [typeof(ContactRecorded)] = nameof(ContactRecorded),
            [typeof(PurchaseRecorded)] = nameof(PurchaseRecorded),
            [typeof(PurchaseRefunded)] = nameof(PurchaseRefunded),
            [typeof(ComplaintFiled)] = nameof(ComplaintFiled),
            [typeof(ComplaintResolved)] = nameof(ComplaintResolved),
            [typeof(SatisfactionSurveyed)] = nameof(SatisfactionSurveyed),
            [typeof(TierChanged)] = nameof(TierChanged),
            [typeof(CareTierAssigned)] = nameof(CareTierAssigned),
            [typeof(ChurnRiskFlagged)] = nameof(ChurnRiskFlagged),
            [typeof(RelationshipEnded)] = nameof(RelationshipEnded),
            [typeof(RelationshipReactivated)] = nameof(RelationshipReactivated),
            [typeof(PersonalDataErased)] = nameof(PersonalDataErased),
        };
}

/// <summary>The profile fields a <see cref="CustomerEvent.CustomerProfileUpdated"/> changed; null means unchanged.</summary>
public sealed record ProfileChanges
{
    public string? Name { get; init; }

    public string? Address { get; init; }

    public string? ContactPerson { get; init; }

    public string? Phone { get; init; }

    public string? Email { get; init; }

    public DateOnly? Birthday { get; init; }

    public string? Preferences { get; init; }

    public bool IsEmpty =>
        Name is null
        && Address is null
        && ContactPerson is null
        && Phone is null
        && Email is null
        && Birthday is null
        && Preferences is null;
}
