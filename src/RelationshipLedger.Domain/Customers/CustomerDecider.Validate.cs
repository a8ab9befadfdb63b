using static RelationshipLedger.Domain.Customers.CustomerCommand;

namespace RelationshipLedger.Domain.Customers;

public static partial class CustomerDecider
{
    /// <summary>Business time before this year is a typing error, not history.</summary>
    public const int EarliestYear = 1900;

    /// <summary>The field errors of <paramref name="command"/> on its own, before any rule about the stream.</summary>
    public static IReadOnlyList<FieldError> Validate(CustomerCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var rules = new FieldRules();
        if (command.OccurredAt is { } occurredAt && occurredAt > command.IssuedAt + AllowedClockSkew)
            rules.Fail(
                "occurredAt",
                $"is in the future: at most {AllowedClockSkew.TotalMinutes:0} minutes ahead is accepted."
            );
        else if (command.OccurredAt is { Year: < EarliestYear })
            rules.Fail("occurredAt", $"is before {EarliestYear}: not a date a customer relationship has.");
        switch (command)
        {
            case RegisterCustomer c:
                rules
                    .Required("name", c.Name, FieldRules.MaxNameLength)
                    .Defined("kind", c.Kind)
                    .Optional("segment", c.Segment, FieldRules.MaxNameLength)
                    .Optional("source", c.Source, FieldRules.MaxNameLength);
                if (c.OwnerId is not null)
                    rules.Id("ownerId", c.OwnerId);
                break;
            case UpdateProfile c:
                ValidateProfile(rules, c.Changes, command.EffectiveAt);
                break;
            case AssignOwner c:
                rules.Id("ownerId", c.OwnerId).Required("reason", c.Reason, FieldRules.MaxReasonLength);
                break;
            case RecordContact c:
                rules
                    .Id("contactId", c.ContactId)
                    .Defined("channel", c.Channel)
                    .Defined("initiator", c.Initiator)
                    .Defined("purpose", c.Purpose)
                    .Defined("occasion", c.Occasion)
                    .NonNegativeAmount("cost", c.Cost)
                    .Optional("notes", c.Notes, FieldRules.MaxTextLength, multiline: true);
                break;
            case RecordPurchase c:
                rules.Id("orderId", c.OrderId).PositiveAmount("amount", c.Amount).Currency("currency", c.Currency);
                break;
            case RefundPurchase c:
                rules
                    .Id("orderId", c.OrderId)
                    .PositiveAmount("amount", c.Amount)
                    .Required("reason", c.Reason, FieldRules.MaxReasonLength, multiline: true);
                break;
            case FileComplaint c:
                rules
                    .Id("complaintId", c.ComplaintId)
                    .Defined("category", c.Category)
                    .Defined("severity", c.Severity)
                    .Required("description", c.Description, FieldRules.MaxTextLength, multiline: true);
                break;
            case ResolveComplaint c:
                rules
                    .Id("complaintId", c.ComplaintId)
                    .Required("resolution", c.Resolution, FieldRules.MaxTextLength, multiline: true);
                break;
            case RecordSurvey c:
                rules
                    .Id("surveyId", c.SurveyId)
                    .Range("rating", c.Rating, 1, 5)
                    .Range("recommend", c.Recommend, 0, 10)
                    .Defined("repurchaseIntent", c.RepurchaseIntent)
                    .Optional("comment", c.Comment, FieldRules.MaxTextLength, multiline: true);
                break;
            case ChangeTier c:
                rules
                    .Defined("to", c.To)
                    .Required("reason", c.Reason, FieldRules.MaxReasonLength, multiline: true)
                    .Required("approvedBy", c.ApprovedBy, FieldRules.MaxNameLength);
                break;
            case AssignCareTier c:
                rules.Range("tier", c.Tier, 1, 3).NonNegativeAmount("annualBudget", c.AnnualBudget);
                break;
            case FlagChurnRisk c:
                if (c.Signals is null || c.Signals.Count == 0)
                    rules.Fail("signals", "at least one signal is required.");
                else
                    foreach (var signal in c.Signals)
                        rules.Defined("signals", signal);
                break;
            case EndRelationship c:
                rules.Defined("cause", c.Cause).Optional("notes", c.Notes, FieldRules.MaxTextLength, multiline: true);
                break;
            case ReactivateRelationship c:
                rules.Required("reason", c.Reason, FieldRules.MaxReasonLength, multiline: true);
                break;
            case ErasePersonalData c:
                rules.Required("reason", c.Reason, FieldRules.MaxReasonLength, multiline: true);
                break;
        }
        return rules.Errors;
    }

    private static void ValidateProfile(FieldRules rules, ProfileChanges? changes, DateTimeOffset at)
    {
        if (changes is null || changes.IsEmpty)
        {
            rules.Fail("profile", "name at least one field to change.");
            return;
        }
        if (changes.Name is not null)
            rules.Required("name", changes.Name, FieldRules.MaxNameLength);
        rules
            .Optional("address", changes.Address, FieldRules.MaxReasonLength, multiline: true)
            .Optional("contactPerson", changes.ContactPerson, FieldRules.MaxNameLength)
            .Phone("phone", changes.Phone)
            .Email("email", changes.Email)
            .Optional("preferences", changes.Preferences, FieldRules.MaxTextLength, multiline: true);
        if (
            changes.Birthday is { } birthday
            && (birthday > DateOnly.FromDateTime(at.UtcDateTime) || birthday.Year < 1900)
        )
            rules.Fail("birthday", "must be a date between 1900 and the day it was recorded.");
    }
}
