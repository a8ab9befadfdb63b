using RelationshipLedger.Domain.Customers;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Projections;
using RelationshipLedger.EventStore.Serialization;
using static RelationshipLedger.Domain.Customers.CustomerEvent;

namespace RelationshipLedger.Application.Abc;

/// <summary>
/// The revenue facts the ABC portfolio ranks customers by (domain.md §2.5), kept by the projection
/// daemon: each registration in <c>ledger.abc_customers</c>, each purchase (positive) and refund
/// (negative) in <c>ledger.abc_revenue</c>. <c>ledger.abc_classes_at(as_of)</c> classifies from them.
/// </summary>
public sealed class AbcRevenueProjection(EventSerializer serializer) : IReplayableProjection
{
    public const string ProjectionName = "abc_revenue";
    public const string CustomersTable = "abc_customers";
    public const string RevenueTable = "abc_revenue";

    public string Name => ProjectionName;

    public IReadOnlyCollection<string>? EventTypes { get; } =
    [
        CustomerEvent.TypeNames[typeof(CustomerRegistered)],
        CustomerEvent.TypeNames[typeof(PurchaseRecorded)],
        CustomerEvent.TypeNames[typeof(PurchaseRefunded)],
    ];

    public IReadOnlyList<string> Tables { get; } = [CustomersTable, RevenueTable];

    /// <summary>What the queries read by; the writes look refunds' orders up by the primary key only.</summary>
    public IReadOnlyCollection<string> IndexesBuiltAfterBulk { get; } =
    ["abc_revenue_window", "abc_revenue_by_position", "abc_customers_by_position"];

    /// <summary>Orders, amounts and currencies, never the registered name.</summary>
    public IReadOnlyCollection<string> ReadsProtectedFieldsOf { get; } = [];

    /// <summary>A rebuild's bulk decodes each batch on its reading side, while the one before is written.</summary>
    public IReadOnlyCollection<string>? ReplayEventTypes => EventTypes;

    public IProjectionReplay StartReplay() => new StatelessReplay(RowsOf);

    public Task ApplyAsync(
        IReadOnlyList<RecordedEvent> events,
        AsyncProjectionContext context,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(context);
        return RowsOf(events).ApplyAsync(context, cancellationToken);
    }

    private AbcRows RowsOf(IReadOnlyList<RecordedEvent> events)
    {
        var rows = new AbcRows(events.Count);
        foreach (var recorded in events)
        {
            switch (serializer.Deserialize(recorded.Type, recorded.Data))
            {
                case CustomerRegistered:
                    rows.AddRegistration(recorded);
                    break;
                case PurchaseRecorded purchase:
                    rows.AddPurchase(recorded, purchase);
                    break;
                case PurchaseRefunded refund:
                    rows.AddRefund(recorded, refund);
                    break;
            }
        }
        return rows;
    }
}
