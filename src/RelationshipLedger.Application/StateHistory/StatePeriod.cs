using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Application.StateHistory;

/// <summary>
/// A stretch of business time <c>[From, To)</c> during which a customer's tier, lifecycle stage and
/// owner all held; <see cref="To"/> is null for the last period, which lasts until a new event says
/// otherwise. Each value carries the instant it began (what the overview calls "since").
/// </summary>
public sealed record StatePeriod(
    DateTimeOffset From,
    DateTimeOffset? To,
    RelationshipTier Tier,
    DateTimeOffset TierSince,
    LifecycleStage Stage,
    DateTimeOffset StageSince,
    string? OwnerId,
    DateTimeOffset? OwnerSince
);
