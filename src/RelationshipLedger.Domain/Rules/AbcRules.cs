using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Domain.Rules;

/// <summary>
/// What one customer brings to the ABC portfolio (domain.md §2.5): its net revenue over the trailing
/// 365 days. The ranking itself is portfolio-wide, in the read model (docs/abc.md).
/// </summary>
public static class AbcRules
{
    /// <summary>365 days of 24 hours, as every trailing window of the rules.</summary>
    public static readonly TimeSpan TrailingWindow = TimeSpan.FromDays(365);

    /// <summary>Purchases minus refunds that occurred in (asOf − 365 days, asOf].</summary>
    public static decimal NetRevenueAt(CustomerState state, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(state);
        return CustomerFacts.Of(state).NetRevenue(asOf.Minus(TrailingWindow), asOf);
    }
}
