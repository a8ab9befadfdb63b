using RelationshipLedger.Domain.Customers;
using static RelationshipLedger.Domain.Customers.CustomerCommand;

namespace RelationshipLedger.Api.Customers;

/// <summary>
/// A command's body. Every field is nullable so that a missing one is reported by name (400) instead
/// of failing deserialization; <see cref="ToCommand"/> returns null after adding the field errors.
/// </summary>
public interface ICommandRequest
{
    DateTimeOffset? OccurredAt { get; }

    string? Reason { get; }

    CustomerCommand? ToCommand(DateTimeOffset issuedAt, List<FieldError> errors);
}

internal static class Required
{
    public static T? Value<T>(T? value, string field, List<FieldError> errors)
        where T : struct
    {
        if (value is null)
            errors.Add(new FieldError(field, "is required."));
        return value;
    }

    public static string Text(string? value, string field, List<FieldError> errors)
    {
        if (value is null)
            errors.Add(new FieldError(field, "is required."));
        return value ?? "";
    }
}

public sealed record RegisterCustomerRequest(
    string? CustomerId,
    string? Name,
    CustomerKind? Kind,
    string? Segment,
    string? Source,
    string? OwnerId,
    DateTimeOffset? OccurredAt,
    string? Reason
) : ICommandRequest
{
    public CustomerCommand? ToCommand(DateTimeOffset issuedAt, List<FieldError> errors)
    {
        var name = Required.Text(Name, "name", errors);
        var kind = Required.Value(Kind, "kind", errors);
        return errors.Count > 0
            ? null
            : new RegisterCustomer(name, kind!.Value, Segment, Source, OwnerId)
            {
                IssuedAt = issuedAt,
                OccurredAt = OccurredAt,
            };
    }
}

public sealed record UpdateProfileRequest(
    string? Name,
    string? Address,
    string? ContactPerson,
    string? Phone,
    string? Email,
    DateOnly? Birthday,
    string? Preferences,
    DateTimeOffset? OccurredAt,
    string? Reason
) : ICommandRequest
{
    public CustomerCommand? ToCommand(DateTimeOffset issuedAt, List<FieldError> errors) =>
        new UpdateProfile(
            new ProfileChanges
            {
                Name = Name,
                Address = Address,
                ContactPerson = ContactPerson,
                Phone = Phone,
                Email = Email,
                Birthday = Birthday,
                Preferences = Preferences,
            }
        )
        {
            IssuedAt = issuedAt,
            OccurredAt = OccurredAt,
        };
}

public sealed record AssignOwnerRequest(string? OwnerId, DateTimeOffset? OccurredAt, string? Reason) : ICommandRequest
{
    public CustomerCommand? ToCommand(DateTimeOffset issuedAt, List<FieldError> errors)
    {
        var owner = Required.Text(OwnerId, "ownerId", errors);
        var reason = Required.Text(Reason, "reason", errors);
        return errors.Count > 0
            ? null
            : new AssignOwner(owner, reason) { IssuedAt = issuedAt, OccurredAt = OccurredAt };
    }
}

public sealed record RecordContactRequest(
    string? ContactId,
    ContactChannel? Channel,
    ContactInitiator? Initiator,
    ContactPurpose? Purpose,
    CareOccasion? Occasion,
    decimal? Cost,
    string? Notes,
    DateTimeOffset? OccurredAt,
    string? Reason
) : ICommandRequest
{
    public CustomerCommand? ToCommand(DateTimeOffset issuedAt, List<FieldError> errors)
    {
        var channel = Required.Value(Channel, "channel", errors);
        var initiator = Required.Value(Initiator, "initiator", errors);
        var purpose = Required.Value(Purpose, "purpose", errors);
        if (errors.Count > 0)
            return null;
        var contactId = ContactId ?? Guid.CreateVersion7().ToString("N");
        return new RecordContact(contactId, channel!.Value, initiator!.Value, purpose!.Value, Occasion, Cost, Notes)
        {
            IssuedAt = issuedAt,
            OccurredAt = OccurredAt,
        };
    }
}

public sealed record RecordPurchaseRequest(
    string? OrderId,
    decimal? Amount,
    string? Currency,
    DateTimeOffset? OccurredAt,
    string? Reason
) : ICommandRequest
{
    public CustomerCommand? ToCommand(DateTimeOffset issuedAt, List<FieldError> errors)
    {
        var orderId = Required.Text(OrderId, "orderId", errors);
        var amount = Required.Value(Amount, "amount", errors);
        var currency = Required.Text(Currency, "currency", errors);
        return errors.Count > 0
            ? null
            : new RecordPurchase(orderId, amount!.Value, currency) { IssuedAt = issuedAt, OccurredAt = OccurredAt };
    }
}

/// <summary>The body of a refund; the order id comes from the route.</summary>
public sealed record RefundPurchaseRequest(decimal? Amount, DateTimeOffset? OccurredAt, string? Reason)
    : ICommandRequest
{
    internal string OrderId { get; init; } = "";

    public CustomerCommand? ToCommand(DateTimeOffset issuedAt, List<FieldError> errors)
    {
        var amount = Required.Value(Amount, "amount", errors);
        var reason = Required.Text(Reason, "reason", errors);
        return errors.Count > 0
            ? null
            : new RefundPurchase(OrderId, amount!.Value, reason) { IssuedAt = issuedAt, OccurredAt = OccurredAt };
    }
}

public sealed record FileComplaintRequest(
    string? ComplaintId,
    ComplaintCategory? Category,
    ComplaintSeverity? Severity,
    string? Description,
    DateTimeOffset? OccurredAt,
    string? Reason
) : ICommandRequest
{
    public CustomerCommand? ToCommand(DateTimeOffset issuedAt, List<FieldError> errors)
    {
        var complaintId = Required.Text(ComplaintId, "complaintId", errors);
        var category = Required.Value(Category, "category", errors);
        var severity = Required.Value(Severity, "severity", errors);
        var description = Required.Text(Description, "description", errors);
        return errors.Count > 0
            ? null
            : new FileComplaint(complaintId, category!.Value, severity!.Value, description)
            {
                IssuedAt = issuedAt,
                OccurredAt = OccurredAt,
            };
    }
}

/// <summary>The body of a resolution; the complaint id comes from the route.</summary>
public sealed record ResolveComplaintRequest(
    string? Resolution,
    bool? CustomerAccepted,
    DateTimeOffset? OccurredAt,
    string? Reason
) : ICommandRequest
{
    internal string ComplaintId { get; init; } = "";

    public CustomerCommand? ToCommand(DateTimeOffset issuedAt, List<FieldError> errors)
    {
        var resolution = Required.Text(Resolution, "resolution", errors);
        var accepted = Required.Value(CustomerAccepted, "customerAccepted", errors);
        return errors.Count > 0
            ? null
            : new ResolveComplaint(ComplaintId, resolution, accepted!.Value)
            {
                IssuedAt = issuedAt,
                OccurredAt = OccurredAt,
            };
    }
}

public sealed record RecordSurveyRequest(
    string? SurveyId,
    int? Rating,
    RepurchaseIntent? RepurchaseIntent,
    int? Recommend,
    string? Comment,
    DateTimeOffset? OccurredAt,
    string? Reason
) : ICommandRequest
{
    public CustomerCommand? ToCommand(DateTimeOffset issuedAt, List<FieldError> errors)
    {
        var surveyId = Required.Text(SurveyId, "surveyId", errors);
        var rating = Required.Value(Rating, "rating", errors);
        return errors.Count > 0
            ? null
            : new RecordSurvey(surveyId, rating!.Value, RepurchaseIntent, Recommend, Comment)
            {
                IssuedAt = issuedAt,
                OccurredAt = OccurredAt,
            };
    }
}

public sealed record ChangeTierRequest(
    RelationshipTier? To,
    string? ApprovedBy,
    DateTimeOffset? OccurredAt,
    string? Reason
) : ICommandRequest
{
    public CustomerCommand? ToCommand(DateTimeOffset issuedAt, List<FieldError> errors)
    {
        var to = Required.Value(To, "to", errors);
        var reason = Required.Text(Reason, "reason", errors);
        var approvedBy = Required.Text(ApprovedBy, "approvedBy", errors);
        return errors.Count > 0
            ? null
            : new ChangeTier(to!.Value, reason, approvedBy) { IssuedAt = issuedAt, OccurredAt = OccurredAt };
    }
}

public sealed record AssignCareTierRequest(int? Tier, decimal? AnnualBudget, DateTimeOffset? OccurredAt, string? Reason)
    : ICommandRequest
{
    public CustomerCommand? ToCommand(DateTimeOffset issuedAt, List<FieldError> errors)
    {
        var tier = Required.Value(Tier, "tier", errors);
        var budget = Required.Value(AnnualBudget, "annualBudget", errors);
        return errors.Count > 0
            ? null
            : new AssignCareTier(tier!.Value, budget!.Value) { IssuedAt = issuedAt, OccurredAt = OccurredAt };
    }
}

public sealed record EndRelationshipRequest(EndCause? Cause, string? Notes, DateTimeOffset? OccurredAt, string? Reason)
    : ICommandRequest
{
    public CustomerCommand? ToCommand(DateTimeOffset issuedAt, List<FieldError> errors)
    {
        var cause = Required.Value(Cause, "cause", errors);
        return errors.Count > 0
            ? null
            : new EndRelationship(cause!.Value, Notes) { IssuedAt = issuedAt, OccurredAt = OccurredAt };
    }
}

public sealed record ReactivateRequest(DateTimeOffset? OccurredAt, string? Reason) : ICommandRequest
{
    public CustomerCommand? ToCommand(DateTimeOffset issuedAt, List<FieldError> errors)
    {
        var reason = Required.Text(Reason, "reason", errors);
        return errors.Count > 0
            ? null
            : new ReactivateRelationship(reason) { IssuedAt = issuedAt, OccurredAt = OccurredAt };
    }
}
