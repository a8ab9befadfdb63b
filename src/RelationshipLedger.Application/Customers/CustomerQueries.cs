using RelationshipLedger.Application.Overview;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Application.Customers;

/// <summary>One customer's projected state, now or in the past; null when no such customer existed then.</summary>
public sealed class CustomerQueries(CustomerStateLoader loader, LifecycleRules rules, TimeProvider clock)
{
    public async Task<CustomerOverview?> GetOverviewAsync(
        string customerId,
        TimeTravel travel,
        CancellationToken cancellationToken = default
    )
    {
        var (state, asOf) = await StateAtAsync(customerId, travel, cancellationToken);
        return state is null ? null : CustomerOverview.From(customerId, CustomerSummary.Of(state, asOf, rules), asOf);
    }

    public async Task<IReadOnlyList<TierPeriod>?> GetTierHistoryAsync(
        string customerId,
        TimeTravel travel,
        CancellationToken cancellationToken = default
    )
    {
        var (state, asOf) = await StateAtAsync(customerId, travel, cancellationToken);
        return state is null ? null : TierRules.HistoryAt(state, asOf);
    }

    public async Task<IReadOnlyList<StageTransition>?> GetStageHistoryAsync(
        string customerId,
        TimeTravel travel,
        CancellationToken cancellationToken = default
    )
    {
        var (state, asOf) = await StateAtAsync(customerId, travel, cancellationToken);
        return state is null ? null : StageHistory.Of(state, asOf, rules);
    }

    public async Task<CustomerSatisfaction?> GetSatisfactionAsync(
        string customerId,
        TimeTravel travel,
        CancellationToken cancellationToken = default
    )
    {
        var (state, asOf) = await StateAtAsync(customerId, travel, cancellationToken);
        return state is null
            ? null
            : new CustomerSatisfaction(
                SatisfactionRules.HistoryUpTo(state, asOf),
                SatisfactionRules.SummaryAt(state, asOf),
                state.Version,
                asOf
            );
    }

    /// <summary>
    /// The state the question sees, and the instant its rules are measured at: the business instant
    /// asked for, else the knowledge instant, else (for a version) the latest business instant in it,
    /// else now.
    /// </summary>
    internal async Task<(CustomerState? State, DateTimeOffset AsOf)> StateAtAsync(
        string customerId,
        TimeTravel travel,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(travel);
        var loaded = await loader.LoadAsync(customerId, travel, cancellationToken);
        if (!loaded.State.IsRegistered)
            return (null, default);
        var asOf =
            travel.AsOf
            ?? travel.KnownAt
            ?? (travel.Version is null ? clock.GetUtcNow() : loaded.State.LatestOccurredAt);
        return (loaded.State, asOf);
    }
}

/// <summary>
/// <c>GET /customers/{id}/satisfaction</c>: every point, and the metrics at the instant asked about
/// (<paramref name="AsOf"/>), from the customer's state at <paramref name="Version"/>.
/// </summary>
public sealed record CustomerSatisfaction(
    IReadOnlyList<SatisfactionPoint> Points,
    SatisfactionSummary Summary,
    long Version,
    DateTimeOffset AsOf
);
