using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Application.Overview;

/// <summary>The satisfaction headline of the overview; CSAT and NPS are percentages over the trailing 365 days.</summary>
public sealed record SatisfactionOverview(
    int? LatestRating,
    decimal? Csat,
    decimal? Nps,
    decimal? CsatAllTime,
    decimal? NpsAllTime,
    SatisfactionTrend Trend,
    int OpenComplaints,
    double? MeanDaysToResolve
);

public sealed record CareOverview(
    int Tier,
    decimal AnnualBudget,
    decimal UsedThisYear,
    decimal Remaining,
    DateTimeOffset? LastCareTouch
);

/// <summary>
/// <c>GET /customers/{id}</c> (shared/api.md): a customer's relationship at an instant.
/// <see cref="AsOf"/> is the business instant the stage and windows were measured at.
/// </summary>
public sealed record CustomerOverview(
    string CustomerId,
    string Name,
    CustomerKind Kind,
    long Version,
    RelationshipTier Tier,
    DateTimeOffset TierSince,
    EngagementType EngagementType,
    LifecycleStage LifecycleStage,
    DateTimeOffset StageSince,
    SatisfactionOverview Satisfaction,
    string? Owner,
    CareOverview? CareTier,
    IReadOnlyList<ChurnSignal>? ChurnRisk,
    DateTimeOffset AsOf,
    string RulesVersion
)
{
    public static CustomerOverview From(string customerId, CustomerSummary summary, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var satisfaction = summary.Satisfaction;
        return new CustomerOverview(
            customerId,
            summary.Name,
            summary.Kind,
            summary.Version,
            summary.Tier,
            summary.TierSince,
            summary.EngagementType,
            summary.LifecycleStage,
            summary.StageSince,
            new SatisfactionOverview(
                satisfaction.LatestRating,
                satisfaction.Csat,
                satisfaction.Nps,
                satisfaction.CsatAllTime,
                satisfaction.NpsAllTime,
                satisfaction.Trend,
                satisfaction.OpenComplaints,
                satisfaction.MeanTimeToResolve is { } mean ? Math.Round(mean.TotalDays, 2) : null
            ),
            summary.OwnerId,
            summary.Care is { } care
                ? new CareOverview(care.Tier, care.AnnualBudget, care.UsedThisYear, care.Remaining, care.LastCareTouch)
                : null,
            summary.ChurnSignals.Count > 0 ? summary.ChurnSignals : null,
            asOf,
            summary.RulesVersion
        );
    }
}
