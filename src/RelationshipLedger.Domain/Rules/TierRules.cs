using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Domain.Rules;

/// <summary>A period at one tier: from when, until when (null while current), why and who approved it, and its length.</summary>
public sealed record TierPeriod(
    RelationshipTier Tier,
    DateTimeOffset From,
    DateTimeOffset? To,
    string Reason,
    string? ApprovedBy,
    TimeSpan Duration
)
{
    public double Days => Math.Round(Duration.TotalDays, 2);
}

public static class TierRules
{
    /// <summary>The reason recorded for the first period, which every customer starts at <c>Transactional</c>.</summary>
    public const string RegistrationReason = "Registered";

    /// <summary>The tier periods up to <paramref name="asOf"/>, oldest first; the last is open and measured up to <paramref name="asOf"/>.</summary>
    public static IReadOnlyList<TierPeriod> HistoryAt(CustomerState state, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.IsRegistered || state.Registered.At > asOf)
            return [];
        var changes = state
            .TierChanges.Where(c => c.Moment.At <= asOf)
            .OrderBy(c => c.Moment.At)
            .ThenBy(c => c.Moment.Version)
            .ToArray();
        var periods = new List<TierPeriod>(changes.Length + 1);
        var (tier, from, reason, approvedBy) = (
            RelationshipTier.Transactional,
            state.Registered.At,
            RegistrationReason,
            (string?)null
        );
        foreach (var change in changes)
        {
            periods.Add(new TierPeriod(tier, from, change.Moment.At, reason, approvedBy, change.Moment.At - from));
            (tier, from, reason, approvedBy) = (change.To, change.Moment.At, change.Reason, change.ApprovedBy);
        }
        periods.Add(new TierPeriod(tier, from, null, reason, approvedBy, asOf - from));
        return periods;
    }
}
