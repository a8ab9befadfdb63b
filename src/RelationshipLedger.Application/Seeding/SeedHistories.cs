using System.Globalization;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Application.Seeding;

/// <summary>What to seed: how many customers, the random seed, and the instant the histories lead up to.</summary>
public sealed record SeedOptions(int Customers, int Seed, DateTimeOffset Now);

public sealed record SeedProgress(int Customers, int Events);

/// <summary>What a seeding run wrote: customers written, customers already present (left alone), events appended.</summary>
public sealed record SeedReport(
    int Customers,
    int AlreadyPresent,
    int Events,
    IReadOnlyDictionary<SeedPattern, int> ByPattern
);

/// <summary>
/// Writes realistic multi-year customer histories (<see cref="SeedPattern"/>) through the command
/// handler, so every rule a live command obeys holds for them. The same options always produce the same
/// histories (customer <c>seed-000001</c> onwards); a customer already in the ledger is left as it is.
/// The declining accounts end with the flag a churn watch would append as of a few days ago.
/// </summary>
public sealed class SeedHistories(CustomerCommandHandler handler, CustomerStateLoader loader, LifecycleRules rules)
{
    public const string Actor = "seed";

    /// <summary>
    /// How far back the longest pattern reaches from <see cref="SeedOptions.Now"/> (a mature partner:
    /// up to four years and forty days); seeding is refused when that would go before the earliest
    /// business year the ledger accepts. SeedingTests check every seeded event lies within it.
    /// </summary>
    public static readonly TimeSpan LongestHistory = TimeSpan.FromDays((365 * 4) + 60);

    /// <summary>The earliest <see cref="SeedOptions.Now"/> whose histories stay within the ledger's years.</summary>
    public static DateTimeOffset EarliestNow { get; } =
        new DateTimeOffset(CustomerDecider.EarliestYear, 1, 1, 0, 0, 0, TimeSpan.Zero) + LongestHistory;
    internal static readonly string[] Currencies = ["EUR", "EUR", "USD", "GBP", "CHF"];

    public static string CustomerIdOf(int index) => $"seed-{index + 1:000000}";

    public async Task<SeedReport> SeedAsync(
        SeedOptions options,
        IProgress<SeedProgress>? progress = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Customers);
        var byPattern = Enum.GetValues<SeedPattern>().ToDictionary(p => p, _ => 0);
        int written = 0,
            present = 0,
            events = 0;
        for (var index = 0; index < options.Customers; index++)
        {
            var customerId = CustomerIdOf(index);
            if ((await loader.LoadCurrentAsync(customerId, cancellationToken)).Version > 0)
                present++;
            else
            {
                var pattern = SeedMix.PatternOf(index);
                events += await WriteAsync(customerId, index, pattern, options, cancellationToken);
                byPattern[pattern]++;
                written++;
            }
            progress?.Report(new SeedProgress(index + 1, events));
        }
        return new SeedReport(written, present, events, byPattern);
    }

    private async Task<int> WriteAsync(
        string customerId,
        int index,
        SeedPattern pattern,
        SeedOptions options,
        CancellationToken cancellationToken
    )
    {
        var random = new Random(unchecked((options.Seed * 1_000_003) + index));
        var script = new HistoryScript(random, options.Now) { Currency = Currencies[random.Next(Currencies.Length)] };
        SeedPatterns.Write(pattern, script, SeedMix.IsReactivated(index));
        var context = new CommandContext(Actor)
        {
            CorrelationId = $"seed-{options.Seed.ToString(CultureInfo.InvariantCulture)}",
        };
        var events = 0;
        foreach (var command in script.Commands)
        {
            var outcome = await handler.HandleAsync(customerId, command, context, cancellationToken);
            if (outcome.Rejection is { } rejection)
                throw new InvalidOperationException(
                    $"The seeded history of {customerId} ({pattern}) broke a rule at {command.EffectiveAt:O}: {rejection.Code} {rejection.Message}"
                );
            events += outcome.EventIds.Count;
        }
        if (pattern == SeedPattern.DecliningAccount)
            events += await FlagChurnAsync(customerId, script, context, cancellationToken);
        return events;
    }

    /// <summary>What the churn watch would do a few days before now: flag the signals it sees, once per episode.</summary>
    private async Task<int> FlagChurnAsync(
        string customerId,
        HistoryScript script,
        CommandContext context,
        CancellationToken cancellationToken
    )
    {
        var at = script.DaysAgo(script.Between(2, 6));
        var state = (await loader.LoadCurrentAsync(customerId, cancellationToken)).State;
        var signals = ChurnRules.SignalsAt(state, at, rules);
        if (signals.Count == 0 || ChurnRules.EpisodeOpen(state, at, rules))
            return 0;
        var command = new Domain.Customers.CustomerCommand.FlagChurnRisk(signals)
        {
            IssuedAt = script.Now,
            OccurredAt = at,
        };
        var outcome = await handler.HandleAsync(
            customerId,
            command,
            context with
            {
                Actor = "churn-watch",
            },
            cancellationToken
        );
        return outcome.EventIds.Count;
    }
}
