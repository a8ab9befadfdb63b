using System.Globalization;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Application.Seeding;

/// <summary>
/// The seeded history of one customer decided in memory, command by command against the state its
/// earlier events fold to — the same histories <see cref="SeedHistories"/> writes, without the churn
/// flag it adds to declining accounts — as the events of one append. For benchmarks that need many
/// customers fast: one append per customer instead of one per command, or the state its events fold
/// to (what a projection folding the stream would see) without writing them at all.
/// </summary>
public static class SeededStreams
{
    public static SeededHistory Decide(int index, SeedOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var pattern = SeedMix.PatternOf(index);
        var random = new Random(unchecked((options.Seed * 1_000_003) + index));
        var script = new HistoryScript(random, options.Now)
        {
            Currency = SeedHistories.Currencies[random.Next(SeedHistories.Currencies.Length)],
        };
        SeedPatterns.Write(pattern, script, SeedMix.IsReactivated(index));
        var metadata = new CommandContext(SeedHistories.Actor)
        {
            CorrelationId = $"seed-{options.Seed.ToString(CultureInfo.InvariantCulture)}",
        }.Metadata;
        var state = CustomerState.Initial;
        var events = new List<EventToAppend>();
        foreach (var command in script.Commands)
        {
            var decision = CustomerDecider.Decide(command, state);
            if (decision.Rejection is { } rejection)
                throw new InvalidOperationException(
                    $"The seeded history of customer {index} ({pattern}) broke a rule at {command.EffectiveAt:O}: {rejection.Code} {rejection.Message}"
                );
            foreach (var @event in decision.Events)
            {
                state = CustomerDecider.Evolve(state, @event, new EventMoment(state.Version + 1, command.EffectiveAt));
                events.Add(new EventToAppend(@event) { OccurredAt = command.EffectiveAt, Metadata = metadata });
            }
        }
        return new SeededHistory(events, state);
    }
}

/// <summary>A seeded customer's events, and the state they fold to.</summary>
public sealed record SeededHistory(IReadOnlyList<EventToAppend> Events, CustomerState State);
