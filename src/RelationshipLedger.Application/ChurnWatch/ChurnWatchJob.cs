using System.Collections.Concurrent;
using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Application.ChurnWatch;

/// <summary>
/// The churn watch (domain.md §2.8): evaluates every registered customer as of an instant and, for
/// each whose signals hold and whose episode has not been flagged, appends <c>ChurnRiskFlagged</c>
/// through the command handler, dated at that instant. Once per episode rests on the decider (it
/// refuses a flag while an episode stands, or dated before the latest flag) and on the version the
/// evaluation saw (pinned, so a flag is never decided on signals that a newer event changed); the
/// advisory lock of <see cref="RunAsync"/> only keeps a second node from doing the same work.
/// </summary>
public sealed class ChurnWatchJob(
    NpgsqlDataSource dataSource,
    CustomerStateLoader evaluationLoader,
    CustomerCommandHandler handler,
    LifecycleRules rules,
    TimeProvider clock
)
{
    /// <summary>The actor recorded on every flag the job appends.</summary>
    public const string Actor = "churn-watch";

    /// <summary>Customers read per page of the candidate list.</summary>
    public const int PageSize = 500;

    /// <summary>How often one customer is evaluated again after another writer moved its stream first.</summary>
    public const int MaxAttempts = 3;

    private const string CandidatesSql =
        "select customer_id from ledger.customer_overview where customer_id > $1 order by customer_id limit $2";

    /// <summary>How many customers are evaluated at once.</summary>
    public int Parallelism { get; init; } = 2;

    /// <summary>The run under the lock; null when another process holds it (and so is evaluating already).</summary>
    public async Task<ChurnWatchRun?> RunAsync(DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        CheckInstant(asOf);
        await using var held = await ChurnWatchLock.TryTakeAsync(dataSource, cancellationToken);
        if (held is null)
            return null;
        return await EvaluateAllAsync(asOf, cancellationToken);
    }

    /// <summary>
    /// Evaluates every registered customer as of <paramref name="asOf"/> without the lock. Safe to race
    /// with another evaluation: each episode is still flagged once.
    /// </summary>
    public async Task<ChurnWatchRun> EvaluateAllAsync(
        DateTimeOffset asOf,
        CancellationToken cancellationToken = default
    )
    {
        CheckInstant(asOf);
        var context = new CommandContext(Actor) { CorrelationId = $"churn-watch-{Guid.NewGuid():N}" };
        var outcomes = new ConcurrentBag<Evaluation>();
        var after = "";
        while (true)
        {
            var page = await CandidatesAsync(after, cancellationToken);
            await Parallel.ForEachAsync(
                page,
                new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                async (customerId, token) => outcomes.Add(await EvaluateAsync(customerId, asOf, context, token))
            );
            if (page.Count < PageSize)
                break;
            after = page[^1];
        }
        return new ChurnWatchRun(
            asOf,
            outcomes.Count,
            [
                .. outcomes
                    .Select(o => o.Flagged)
                    .OfType<ChurnFlagRaised>()
                    .OrderBy(f => f.CustomerId, StringComparer.Ordinal),
            ],
            outcomes.Count(o => o.AlreadyFlagged),
            [
                .. outcomes
                    .Select(o => o.Refused)
                    .OfType<ChurnWatchRefusal>()
                    .OrderBy(r => r.CustomerId, StringComparer.Ordinal),
            ]
        );
    }

    /// <summary>One customer: flag it when its signals hold and no episode stands; again on fresh state when another writer moved first.</summary>
    private async Task<Evaluation> EvaluateAsync(
        string customerId,
        DateTimeOffset asOf,
        CommandContext context,
        CancellationToken cancellationToken
    )
    {
        for (var attempt = 1; ; attempt++)
        {
            var loaded = await evaluationLoader.LoadCurrentAsync(customerId, cancellationToken);
            var state = loaded.State;
            if (!state.IsRegistered)
                return Evaluation.Clear;
            var signals = ChurnRules.SignalsAt(state, asOf, rules);
            if (signals.Count == 0)
                return Evaluation.Clear;
            if (ChurnRules.EpisodeOpen(state, asOf, rules))
                return Evaluation.Open;
            var command = new CustomerCommand.FlagChurnRisk(signals)
            {
                IssuedAt = clock.GetUtcNow(),
                OccurredAt = asOf,
            };
            var outcome = await handler.HandleAsync(
                customerId,
                command,
                context with
                {
                    ExpectedVersion = loaded.Version,
                },
                cancellationToken
            );
            if (outcome.IsAccepted)
                return new Evaluation(new ChurnFlagRaised(customerId, signals, outcome.Version), false, null);
            if (outcome.Rejection is { Code: "churn-already-flagged" })
                return Evaluation.Open;
            if (outcome.Rejection is { } rejection)
                return new Evaluation(
                    null,
                    false,
                    new ChurnWatchRefusal(customerId, rejection.Code, rejection.Message)
                );
            if (attempt == MaxAttempts)
                return new Evaluation(
                    null,
                    false,
                    new ChurnWatchRefusal(
                        customerId,
                        "concurrent-modification",
                        $"Other writers moved the stream first {MaxAttempts} times; the next run evaluates it again."
                    )
                );
        }
    }

    private async Task<List<string>> CandidatesAsync(string after, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(CandidatesSql);
        command.Parameters.Add(new() { Value = after, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = PageSize, NpgsqlDbType = NpgsqlDbType.Integer });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var page = new List<string>(PageSize);
        while (await reader.ReadAsync(cancellationToken))
            page.Add(reader.GetString(0));
        return page;
    }

    /// <summary>The decider refuses business time ahead of the clock (beyond the skew it allows), so the job does too.</summary>
    private void CheckInstant(DateTimeOffset asOf)
    {
        if (asOf > clock.GetUtcNow() + CustomerDecider.AllowedClockSkew)
            throw new ArgumentOutOfRangeException(
                nameof(asOf),
                asOf,
                "The churn watch evaluates as of now or an earlier instant, never the future."
            );
    }

    private sealed record Evaluation(ChurnFlagRaised? Flagged, bool AlreadyFlagged, ChurnWatchRefusal? Refused)
    {
        public static Evaluation Clear { get; } = new(null, false, null);

        public static Evaluation Open { get; } = new(null, true, null);
    }
}
