using RelationshipLedger.Application.Customers;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>
/// One purchase per call through <see cref="CustomerCommandHandler"/>: load the state (the overview's
/// head state), decide, append with the inline overview and idempotency projections — what an API command costs.
/// </summary>
internal sealed class HandlerPurchaseWriter(CustomerCommandHandler handler, string customerId) : IBenchWriter
{
    private static readonly CommandContext Context = new("bench");
    private int _orders;

    public async Task<int> WriteOnceAsync(CancellationToken cancellationToken)
    {
        var command = new CustomerCommand.RecordPurchase($"order-{++_orders}", 100 + (_orders % 50), "EUR")
        {
            IssuedAt = DateTimeOffset.UtcNow,
        };
        var outcome = await handler.HandleAsync(customerId, command, Context, cancellationToken);
        if (!outcome.IsAccepted)
            throw new InvalidOperationException($"The benchmark's purchase on {customerId} was refused.");
        return 1;
    }
}

/// <summary>The same purchase events appended straight to a store without projections, with the exact version.</summary>
internal sealed class BareStorePurchaseWriter(EventStore.EventStore store, string customerId) : IBenchWriter
{
    private static readonly EventMetadata Metadata = new() { Actor = "bench" };
    private int _orders;
    private long _version = 1;

    public async Task<int> WriteOnceAsync(CancellationToken cancellationToken)
    {
        var purchase = new CustomerEvent.PurchaseRecorded($"order-{++_orders}", 100 + (_orders % 50), "EUR");
        await store.AppendAsync(
            customerId,
            ExpectedVersion.Exactly(_version),
            [new EventToAppend(purchase) { Metadata = Metadata }],
            CustomerId.StreamType,
            cancellationToken
        );
        _version++;
        return 1;
    }
}
