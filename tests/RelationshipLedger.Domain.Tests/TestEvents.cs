using RelationshipLedger.Domain.Customers;
using static RelationshipLedger.Domain.Customers.CustomerEvent;

namespace RelationshipLedger.Domain.Tests;

/// <summary>Short constructors for the events the tests give, with neutral defaults for fields a test does not care about.</summary>
internal static class TestEvents
{
    public static CustomerRegistered Registered(string name = "Acme", string? ownerId = null) =>
        new(name, CustomerKind.Organization, OwnerId: ownerId);

    public static PurchaseRecorded Purchase(string orderId, decimal amount, string currency = "EUR") =>
        new(orderId, amount, currency);

    public static PurchaseRefunded Refund(string orderId, decimal amount) => new(orderId, amount, "returned");

    public static SatisfactionSurveyed Survey(string surveyId, int rating, int? recommend = null) =>
        new(surveyId, rating, Recommend: recommend);

    public static ContactRecorded Contact(
        string contactId,
        ContactInitiator initiator,
        ContactPurpose purpose,
        ContactChannel channel = ContactChannel.Phone,
        CareOccasion? occasion = null,
        decimal? cost = null
    ) => new(contactId, channel, initiator, purpose, occasion, cost);

    public static ComplaintFiled Complaint(string complaintId) =>
        new(complaintId, ComplaintCategory.Delivery, ComplaintSeverity.Medium, "late delivery");

    public static ComplaintResolved Resolution(string complaintId, bool accepted = true) =>
        new(complaintId, "redelivered", accepted);

    public static TierChanged Tier(RelationshipTier from, RelationshipTier to) => new(from, to, "review", "board");

    public static RelationshipEnded Ended() => new(EndCause.Competitor);

    public static RelationshipReactivated Reactivated() => new("won back");

    public static ChurnRiskFlagged Flagged(params ChurnSignal[] signals) => new(signals);
}
