using Npgsql;
using RelationshipLedger.Application.Abc;
using RelationshipLedger.Application.ChurnWatch;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Customers.Caching;
using RelationshipLedger.Application.Erasure;
using RelationshipLedger.Application.Idempotency;
using RelationshipLedger.Application.Overview;
using RelationshipLedger.Application.SatisfactionHistory;
using RelationshipLedger.Application.StateHistory;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Projections;
using RelationshipLedger.EventStore.Serialization;

namespace RelationshipLedger.Application;

/// <summary>
/// The ledger's event store as every host wires it (API, CLI, tests): the ledger's serializer and the
/// inline projections that must commit with the events — the customer overview and the idempotency keys —
/// and the asynchronous projections the daemon keeps behind the log. The overview takes head states
/// from the given cache, which the same host's <see cref="CustomerStateLoader"/> must share.
/// </summary>
public static class LedgerServices
{
    public static EventStore.EventStore CreateStore(
        NpgsqlDataSource dataSource,
        LifecycleRules rules,
        CustomerStateCache cache
    )
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(cache);
        var serializer = LedgerEventTypes.CreateSerializer();
        return new EventStore.EventStore(
            dataSource,
            new EventStoreOptions
            {
                Serializer = serializer,
                InlineProjections =
                [
                    new CustomerOverviewProjection(rules, serializer, cache),
                    IdempotencyKeys.Projection,
                    PersonalDataErasure.Projection,
                ],
            }
        );
    }

    /// <summary>The read models the projection daemon keeps (docs/projections.md).</summary>
    public static IReadOnlyList<IAsyncProjection> CreateAsyncProjections(
        EventSerializer serializer,
        LifecycleRules? rules = null
    )
    {
        ArgumentNullException.ThrowIfNull(serializer);
        return
        [
            new SatisfactionHistoryProjection(serializer),
            new ChurnWatchProjection(serializer),
            new AbcRevenueProjection(serializer),
            new StateHistoryProjection(serializer, rules ?? LifecycleRules.Default),
        ];
    }
}
