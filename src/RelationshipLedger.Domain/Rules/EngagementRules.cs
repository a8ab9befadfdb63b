using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Domain.Rules;

/// <summary>Kotler's five post-sale engagement types (domain.md §2.2), derived, never entered.</summary>
public enum EngagementType
{
    Basic,
    Reactive,
    Accountable,
    Proactive,
    Partnership,
}

public static class EngagementRules
{
    public static readonly TimeSpan TrailingWindow = TimeSpan.FromDays(365);

    /// <summary>A follow-up counts toward <c>Accountable</c> when it comes less than this long after a purchase.</summary>
    public static readonly TimeSpan FollowUpWindow = TimeSpan.FromDays(30);

    /// <summary>The engagement type from the contacts in (asOf − 365 days, asOf]; the first rule that matches, from the top.</summary>
    public static EngagementType TypeAt(CustomerState state, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(state);
        var after = asOf.Minus(TrailingWindow);
        var contacts = state.Contacts.Where(c => c.Moment.At > after && c.Moment.At <= asOf).ToArray();
        var byCompany = contacts.Where(c => c.Initiator == ContactInitiator.Company).ToArray();
        if (byCompany.Any(c => c.Purpose == ContactPurpose.JointPlanning))
            return EngagementType.Partnership;
        if (byCompany.Count(c => c.Purpose == ContactPurpose.Advice) >= 2)
            return EngagementType.Proactive;
        if (byCompany.Any(c => c.Purpose == ContactPurpose.FollowUp && FollowsAPurchase(state, c.Moment.At)))
            return EngagementType.Accountable;
        if (contacts.Any(c => c.Initiator == ContactInitiator.Customer))
            return EngagementType.Reactive;
        return EngagementType.Basic;
    }

    private static bool FollowsAPurchase(CustomerState state, DateTimeOffset followUpAt) =>
        state.Purchases.Any(p => p.Moment.At <= followUpAt && followUpAt - p.Moment.At < FollowUpWindow);
}
