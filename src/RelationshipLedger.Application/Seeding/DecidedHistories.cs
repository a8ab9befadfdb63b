using RelationshipLedger.Domain.Customers;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Application.Seeding;

/// <summary>
/// The seeded histories of <see cref="SeedHistories"/> decided in memory, without the database: each
/// command of the customer's script is decided against the state its earlier events folded to, and the
/// events come back ready to append to the customer's new stream in one batch. For benchmarks that
/// need a large, realistic log fast (one append per customer instead of one per command); every rule a
/// live command obeys holds, as in <see cref="SeedHistories"/>. The churn flag that ends a declining
/// account there is left out: it needs the churn watch's view of the state.
/// </summary>
public static class DecidedHistories
{
    public static IReadOnlyList<EventToAppend> Decide(int index, int seed, DateTimeOffset now)
    {
        var random = new Random(unchecked((seed * 1_000_003) + index));
        var script = new HistoryScript(random, now) { Currency = random.Next(5) < 2 ? "EUR" : "USD" };
        var pattern = SeedMix.PatternOf(index);
        SeedPatterns.Write(pattern, script, SeedMix.IsReactivated(index));
        var metadata = new EventMetadata { Actor = SeedHistories.Actor };
        var state = CustomerState.Initial;
        var events = new List<EventToAppend>();
        foreach (var command in script.Commands)
        {
            var decision = CustomerDecider.Decide(command, state);
            if (decision.Rejection is { } rejection)
                throw new InvalidOperationException(
                    $"The seeded history {index} ({pattern}) broke a rule at {command.EffectiveAt:O}: {rejection.Code} {rejection.Message}"
                );
            foreach (var @event in decision.Events)
            {
                events.Add(new EventToAppend(@event) { OccurredAt = command.EffectiveAt, Metadata = metadata });
                state = CustomerDecider.Evolve(state, @event, new EventMoment(events.Count, command.EffectiveAt));
            }
        }
        return events;
    }
}
