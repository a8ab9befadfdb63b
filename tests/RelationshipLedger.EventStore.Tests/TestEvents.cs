using RelationshipLedger.EventStore.Projections;
using RelationshipLedger.EventStore.Serialization;

namespace RelationshipLedger.EventStore.Tests;

public sealed record AccountOpened(string Name);

public sealed record PurchaseMade(string OrderId, decimal Amount, string Currency);

public sealed record NoteAdded(string Text);

/// <summary>A small fold used by the time-travel tests: a name and the purchases seen.</summary>
public sealed record AccountState(string? Name, decimal Revenue, int Purchases)
{
    public static AccountState Initial { get; } = new(null, 0m, 0);

    public static AccountState Evolve(AccountState state, EventEnvelope envelope) =>
        envelope.Data switch
        {
            AccountOpened opened => state with { Name = opened.Name },
            PurchaseMade purchase => state with
            {
                Revenue = state.Revenue + purchase.Amount,
                Purchases = state.Purchases + 1,
            },
            _ => state,
        };
}

public static class TestStores
{
    public static EventTypeMap Types() =>
        new EventTypeMap()
            .Register<AccountOpened>("AccountOpened")
            .Register<PurchaseMade>("PurchaseMade")
            .Register<NoteAdded>("NoteAdded");

    public static EventStore Create(Testing.TestDatabase database, params IInlineProjection[] inline) =>
        new(
            database.DataSource,
            new EventStoreOptions { Serializer = new EventSerializer(Types()), InlineProjections = inline }
        );

    public static EventToAppend Purchase(string orderId, decimal amount, DateTimeOffset? occurredAt = null) =>
        new(new PurchaseMade(orderId, amount, "EUR")) { OccurredAt = occurredAt };
}
