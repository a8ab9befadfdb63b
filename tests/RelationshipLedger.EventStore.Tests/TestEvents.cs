using RelationshipLedger.EventStore.Projections;
using RelationshipLedger.EventStore.Protection;
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

    /// <summary>A store whose events' fields named by <paramref name="protectedFields"/> (type, top-level field) are encrypted, reading as "[erased]" once erased.</summary>
    public static EventStore CreateProtected(
        Testing.TestDatabase database,
        params (string Type, string Field)[] protectedFields
    ) =>
        new(
            database.DataSource,
            new EventStoreOptions
            {
                Serializer = new EventSerializer(
                    Types(),
                    protection: new PayloadProtection(
                        protectedFields.ToDictionary(
                            f => f.Type,
                            f => (IReadOnlyList<ProtectedField>)[new ProtectedField([f.Field], "[erased]")]
                        )
                    )
                ),
            }
        );

    public static EventToAppend Purchase(string orderId, decimal amount, DateTimeOffset? occurredAt = null) =>
        new(new PurchaseMade(orderId, amount, "EUR")) { OccurredAt = occurredAt };
}
