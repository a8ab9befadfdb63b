using RelationshipLedger.Application.Customers;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>
/// One purchase per call through <see cref="CustomerCommandHandler"/>, on its customers in turn: load the
/// state (the process's cached head, else the latest snapshot), decide, append with the inline overview and
/// idempotency projections — what an API command costs.
/// </summary>
internal sealed class HandlerPurchaseWriter(CustomerCommandHandler handler, IReadOnlyList<string> customerIds)
    : IBenchWriter
{
    private static readonly CommandContext Context = new("bench");
    private int _orders;

    public async Task<int> WriteOnceAsync(CancellationToken cancellationToken)
    {
        var customerId = customerIds[_orders % customerIds.Count];
        var command = new CustomerCommand.RecordPurchase($"live-order-{++_orders}", 100 + (_orders % 50), "EUR")
        {
            IssuedAt = DateTimeOffset.UtcNow,
        };
        var outcome = await handler.HandleAsync(customerId, command, Context, cancellationToken);
        if (!outcome.IsAccepted)
            throw new InvalidOperationException($"The benchmark's purchase on {customerId} was refused.");
        return 1;
    }
}

/// <summary>
/// The same purchase events appended straight to a store without projections, on its customers in turn, each
/// with the exact version (all start at <paramref name="startVersion"/>).
/// </summary>
internal sealed class BareStorePurchaseWriter(
    EventStore.EventStore store,
    IReadOnlyList<string> customerIds,
    long startVersion
) : IBenchWriter
{
    private static readonly EventMetadata Metadata = new() { Actor = "bench" };
    private readonly long[] _versions = [.. customerIds.Select(_ => startVersion)];
    private int _orders;

    public async Task<int> WriteOnceAsync(CancellationToken cancellationToken)
    {
        var turn = _orders % customerIds.Count;
        var purchase = new CustomerEvent.PurchaseRecorded($"live-order-{++_orders}", 100 + (_orders % 50), "EUR");
        await store.AppendAsync(
            customerIds[turn],
            ExpectedVersion.Exactly(_versions[turn]),
            [new EventToAppend(purchase) { Metadata = Metadata }],
            CustomerId.StreamType,
            cancellationToken
        );
        _versions[turn]++;
        return 1;
    }
}
