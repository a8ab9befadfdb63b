using RelationshipLedger.Domain.Customers;
using static RelationshipLedger.Domain.Customers.CustomerCommand;
using static RelationshipLedger.Domain.Customers.CustomerEvent;

namespace RelationshipLedger.Application.Import;

/// <summary>
/// An event from another system, replayed as the command that would have produced it, so that an
/// import obeys every rule a live command does.
/// </summary>
internal static class ImportedEvent
{
    public static CustomerCommand ToCommand(CustomerEvent @event, DateTimeOffset issuedAt, DateTimeOffset occurredAt)
    {
        CustomerCommand command = @event switch
        {
            CustomerRegistered e => new RegisterCustomer(e.Name, e.Kind, e.Segment, e.Source, e.OwnerId)
            {
                IssuedAt = issuedAt,
            },
            CustomerProfileUpdated e => new UpdateProfile(e.Changes) { IssuedAt = issuedAt },
            AccountOwnerAssigned e => new AssignOwner(e.OwnerId, e.Reason) { IssuedAt = issuedAt },
            ContactRecorded e => new RecordContact(
                e.ContactId,
                e.Channel,
                e.Initiator,
                e.Purpose,
                e.Occasion,
                e.Cost,
                e.Notes
            )
            {
                IssuedAt = issuedAt,
            },
            PurchaseRecorded e => new RecordPurchase(e.OrderId, e.Amount, e.Currency) { IssuedAt = issuedAt },
            PurchaseRefunded e => new RefundPurchase(e.OrderId, e.Amount, e.Reason) { IssuedAt = issuedAt },
            ComplaintFiled e => new FileComplaint(e.ComplaintId, e.Category, e.Severity, e.Description)
            {
                IssuedAt = issuedAt,
            },
            ComplaintResolved e => new ResolveComplaint(e.ComplaintId, e.Resolution, e.CustomerAccepted)
            {
                IssuedAt = issuedAt,
            },
            SatisfactionSurveyed e => new RecordSurvey(e.SurveyId, e.Rating, e.RepurchaseIntent, e.Recommend, e.Comment)
            {
                IssuedAt = issuedAt,
            },
            TierChanged e => new ChangeTier(e.To, e.Reason, e.ApprovedBy) { IssuedAt = issuedAt },
            CareTierAssigned e => new AssignCareTier(e.Tier, e.AnnualBudget) { IssuedAt = issuedAt },
            ChurnRiskFlagged e => new FlagChurnRisk(e.Signals) { IssuedAt = issuedAt },
            RelationshipEnded e => new EndRelationship(e.Cause, e.Notes) { IssuedAt = issuedAt },
            RelationshipReactivated e => new ReactivateRelationship(e.Reason) { IssuedAt = issuedAt },
            _ => throw new ArgumentOutOfRangeException(nameof(@event), @event, "Not an event of the v1 catalogue."),
        };
        return command with { OccurredAt = occurredAt };
    }

    /// <summary>Why the decided events are not the imported one (a TierChanged whose "from" is not the current tier), or null.</summary>
    public static string? Mismatch(CustomerEvent imported, IReadOnlyList<CustomerEvent> decided) =>
        decided is [var only] && only.Equals(imported) ? null
        : imported is TierChanged tier && decided is [TierChanged actual]
            ? $"TierChanged.from is {tier.From} but the current tier is {actual.From}."
        : "The line does not reproduce as recorded.";
}
