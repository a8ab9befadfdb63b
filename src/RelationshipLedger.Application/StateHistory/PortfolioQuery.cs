using RelationshipLedger.Application.Abc;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Application.StateHistory;

/// <summary>
/// Which accounts to list: those whose period contains <see cref="AsOf"/> and match every filter given,
/// in customer id order after <see cref="After"/>, at most <see cref="Limit"/> of them. <see cref="Abc"/>
/// is the ABC class as of <see cref="AsOf"/> (docs/abc.md): it depends on the whole portfolio's revenue in
/// a window that moves with the instant, so it is classified when asked, not stored in the periods.
/// <see cref="KnownAt"/>, when given, asks what the ledger knew at that system instant: only events
/// recorded by then count (null: everything known now).
/// </summary>
public sealed record PortfolioQuery(
    DateTimeOffset AsOf,
    RelationshipTier? Tier = null,
    LifecycleStage? Stage = null,
    string? Owner = null,
    string? After = null,
    int Limit = PortfolioQuery.DefaultLimit,
    AbcClass? Abc = null,
    DateTimeOffset? KnownAt = null
)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
}

/// <summary>One account in a portfolio page: its values as of the instant asked about and since when each held.</summary>
public sealed record PortfolioEntry(
    string CustomerId,
    string Name,
    RelationshipTier Tier,
    LifecycleStage Stage,
    string? Owner,
    DateTimeOffset Since,
    DateTimeOffset? Until,
    DateTimeOffset TierSince,
    DateTimeOffset StageSince,
    DateTimeOffset? OwnerSince
);

/// <summary>A page of accounts, and the cursor of the next page (null on the last).</summary>
public sealed record PortfolioPage(
    DateTimeOffset AsOf,
    IReadOnlyList<PortfolioEntry> Customers,
    string? Next,
    DateTimeOffset? KnownAt = null
);

/// <summary>One owner of an account: from when, until when (null while current), and why.</summary>
public sealed record OwnerTenure(string OwnerId, DateTimeOffset From, DateTimeOffset? To, string? Reason, long Version);
