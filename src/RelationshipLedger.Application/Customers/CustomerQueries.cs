using RelationshipLedger.Application.Overview;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Application.Customers;

/// <summary>One customer's projected state, now or in the past; null when no such customer existed then.</summary>
public sealed class CustomerQueries(CustomerStateLoader loader, LifecycleRules rules, TimeProvider clock)
{
    /// <summary>
    /// The overview at the instant asked about. For the present, the stage continues from the one the
    /// inline overview recorded at its last write, so only the time since then is evaluated.
    /// </summary>
    public async Task<CustomerOverview?> GetOverviewAsync(
        string customerId,
        TimeTravel travel,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(travel);
        var loaded = await loader.LoadAsync(customerId, travel, cancellationToken);
        if (!loaded.State.IsRegistered)
            return null;
        var asOf = AsOf(travel, loaded.State);
        // The stage continues from the head's mark, else from the snapshot's (same rules only), else,
        // for the present, from the overview row's; CustomerSummary falls back to the whole history
        // whenever the facts do not allow continuing.
        var recorded =
            loaded.Stage
            ?? (loaded.SnapshotStage is { } stored && stored.RulesVersion == rules.Version ? stored.Mark : null);
        if (travel.IsNow && recorded is null)
        {
            await using var command = loader.DataSource.CreateCommand();
            recorded = await OverviewStageMark.ReadAsync(command, customerId, rules, cancellationToken);
            if (recorded?.Version == loaded.Version)
                loader.Cache.OfferHead(customerId, loaded with { Stage = recorded });
        }
        return CustomerOverview.From(customerId, CustomerSummary.Of(loaded.State, asOf, rules, recorded), asOf);
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
        return loaded.State.IsRegistered ? (loaded.State, AsOf(travel, loaded.State)) : (null, default);
    }

    private DateTimeOffset AsOf(TimeTravel travel, CustomerState state) =>
        travel.AsOf ?? travel.KnownAt ?? (travel.Version is null ? clock.GetUtcNow() : state.LatestOccurredAt);
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
