using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Domain.Rules;

/// <summary>Company-owned relationship care (客情): the tier, its annual budget, what this calendar year used, the last touch.</summary>
public sealed record CareSummary(int Tier, decimal AnnualBudget, decimal UsedThisYear, DateTimeOffset? LastCareTouch)
{
    public decimal Remaining => AnnualBudget - UsedThisYear;
}

public static class CareRules
{
    /// <summary>
    /// The care summary at <paramref name="asOf"/>, or null without a care tier. "This year" is the
    /// UTC calendar year of <paramref name="asOf"/>; a care touch is a contact of purpose <c>Care</c>
    /// or one with an occasion.
    /// </summary>
    public static CareSummary? SummaryAt(CustomerState state, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Care is not { } care || care.Moment.At > asOf)
            return null;
        var year = asOf.UtcDateTime.Year;
        var contacts = state.Contacts.Where(c => c.Moment.At <= asOf).ToArray();
        var used = contacts.Where(c => c.Moment.At.UtcDateTime.Year == year).Sum(c => c.Cost ?? 0m);
        var lastTouch = contacts
            .Where(c => c.Purpose == ContactPurpose.Care || c.Occasion is not null)
            .Select(c => (DateTimeOffset?)c.Moment.At)
            .Max();
        return new CareSummary(care.Tier, care.AnnualBudget, used, lastTouch);
    }
}
