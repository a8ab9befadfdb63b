using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Domain.Rules;

/// <summary>
/// What the overview shows of one customer at an instant: who, tier, engagement, stage, satisfaction,
/// owner, care and churn signals, with the version folded and the rules version that computed it.
/// </summary>
public sealed record CustomerSummary(
    string Name,
    CustomerKind Kind,
    long Version,
    RelationshipTier Tier,
    DateTimeOffset TierSince,
    EngagementType EngagementType,
    LifecycleStage LifecycleStage,
    DateTimeOffset StageSince,
    SatisfactionSummary Satisfaction,
    string? OwnerId,
    CareSummary? Care,
    IReadOnlyList<ChurnSignal> ChurnSignals,
    string RulesVersion
)
{
    /// <summary>
    /// The summary of a registered <paramref name="state"/> at <paramref name="asOf"/>; the stage
    /// continues from <paramref name="previousStage"/> when that is valid (see <see cref="StageHistory.MarkAt"/>).
    /// </summary>
    public static CustomerSummary Of(
        CustomerState state,
        DateTimeOffset asOf,
        LifecycleRules? rules = null,
        StageMark? previousStage = null
    )
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.IsRegistered)
            throw new ArgumentException("Only a registered customer has a summary.", nameof(state));
        rules ??= LifecycleRules.Default;
        var tier = TierRules.HistoryAt(state, asOf) is { Count: > 0 } tiers ? tiers[^1] : null;
        var evaluator = new StageEvaluator(CustomerFacts.Of(state), rules);
        var stage = StageHistory.MarkAt(evaluator, asOf, previousStage);
        return new CustomerSummary(
            state.Name,
            state.Kind,
            state.Version,
            tier?.Tier ?? RelationshipTier.Transactional,
            tier?.From ?? state.Registered.At,
            EngagementRules.TypeAt(state, asOf),
            stage.Stage,
            stage.Since,
            SatisfactionRules.SummaryAt(state, asOf),
            OwnerAt(state, asOf),
            CareRules.SummaryAt(state, asOf),
            ChurnRules.SignalsAt(evaluator, asOf),
            rules.Version
        );
    }

    private static string? OwnerAt(CustomerState state, DateTimeOffset asOf) =>
        state.Owners.Where(o => o.Moment.At <= asOf).MaxBy(o => (o.Moment.At, o.Moment.Version))?.OwnerId;
}
