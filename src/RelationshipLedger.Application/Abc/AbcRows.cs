using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Projections;
using static RelationshipLedger.Domain.Customers.CustomerEvent;

namespace RelationshipLedger.Application.Abc;

/// <summary>
/// A batch's registrations and revenue facts as column arrays, written with one
/// <c>insert … select from unnest(…)</c> per table, both in one round trip.
/// </summary>
internal sealed class AbcRows(int capacity) : IReplayBatch
{
    private readonly List<string> _registered = [];
    private readonly List<DateTime> _registeredAt = [];
    private readonly List<DateTime> _registrationRecordedAt = [];
    private readonly List<ulong> _registeredTx = [];
    private readonly List<long> _registeredSeq = [];

    private readonly List<string> _customers = new(capacity);
    private readonly List<long> _versions = new(capacity);
    private readonly List<string> _kinds = new(capacity);
    private readonly List<string> _orders = new(capacity);
    private readonly List<DateTime> _occurredAt = new(capacity);
    private readonly List<DateTime> _recordedAt = new(capacity);
    private readonly List<decimal> _amounts = new(capacity);
    private readonly List<string?> _currencies = new(capacity);
    private readonly List<ulong> _transactions = new(capacity);
    private readonly List<long> _sequences = new(capacity);

    // The currency of each order purchased in this batch: a refund of it in the same batch takes it from
    // here, since the insert's lookup sees only rows of earlier batches.
    private readonly Dictionary<(string Customer, string Order), string> _batchOrders = [];

    public void AddRegistration(RecordedEvent recorded)
    {
        _registered.Add(recorded.StreamId);
        _registeredAt.Add(recorded.OccurredAt.UtcDateTime);
        _registrationRecordedAt.Add(recorded.RecordedAt.UtcDateTime);
        _registeredTx.Add(recorded.Position.TransactionId);
        _registeredSeq.Add(recorded.Position.SequenceId);
    }

    public void AddPurchase(RecordedEvent recorded, PurchaseRecorded purchase)
    {
        _batchOrders[(recorded.StreamId, purchase.OrderId)] = purchase.Currency;
        AddFact(recorded, "Purchase", purchase.OrderId, purchase.Amount, purchase.Currency);
    }

    /// <summary>A refund counts negative, in its order's currency (null here: looked up when inserted).</summary>
    public void AddRefund(RecordedEvent recorded, PurchaseRefunded refund) =>
        AddFact(
            recorded,
            "Refund",
            refund.OrderId,
            -refund.Amount,
            _batchOrders.GetValueOrDefault((recorded.StreamId, refund.OrderId))
        );

    private void AddFact(RecordedEvent recorded, string kind, string orderId, decimal amount, string? currency)
    {
        _customers.Add(recorded.StreamId);
        _versions.Add(recorded.Version);
        _kinds.Add(kind);
        _orders.Add(orderId);
        _occurredAt.Add(recorded.OccurredAt.UtcDateTime);
        _recordedAt.Add(recorded.RecordedAt.UtcDateTime);
        _amounts.Add(amount);
        _currencies.Add(currency);
        _transactions.Add(recorded.Position.TransactionId);
        _sequences.Add(recorded.Position.SequenceId);
    }

    public async Task ApplyAsync(AsyncProjectionContext context, CancellationToken cancellationToken)
    {
        await using var batch = context.CreateBatch();
        AddCommands(
            batch,
            context.Table(AbcRevenueProjection.CustomersTable),
            context.Table(AbcRevenueProjection.RevenueTable)
        );
        if (batch.BatchCommands.Count > 0)
            await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private void AddCommands(NpgsqlBatch batch, string customersTable, string revenueTable)
    {
        if (_registered.Count > 0)
        {
            var command = new NpgsqlBatchCommand(
                $"insert into {customersTable} (customer_id, registered_at, recorded_at, position_tx, position_seq) "
                    + "select * from unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::xid8[], $5::bigint[])"
            );
            Add(command, _registered, NpgsqlDbType.Text);
            Add(command, _registeredAt, NpgsqlDbType.TimestampTz);
            Add(command, _registrationRecordedAt, NpgsqlDbType.TimestampTz);
            Add(command, _registeredTx, NpgsqlDbType.Xid8);
            Add(command, _registeredSeq, NpgsqlDbType.Bigint);
            batch.BatchCommands.Add(command);
        }
        if (_customers.Count > 0)
        {
            // A refund whose order was purchased in an earlier batch takes that purchase's currency.
            var command = new NpgsqlBatchCommand(
                $"insert into {revenueTable} (customer_id, version, kind, order_id, occurred_at, recorded_at, "
                    + "amount, currency, position_tx, position_seq) "
                    + "select f.customer_id, f.version, f.kind, f.order_id, f.occurred_at, f.recorded_at, f.amount, "
                    + $"coalesce(f.currency, (select p.currency from {revenueTable} p where p.customer_id = f.customer_id "
                    + "and p.order_id = f.order_id and p.kind = 'Purchase' order by p.version limit 1)), "
                    + "f.position_tx, f.position_seq "
                    + "from unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::timestamptz[], "
                    + "$6::timestamptz[], $7::numeric[], $8::text[], $9::xid8[], $10::bigint[]) "
                    + "as f(customer_id, version, kind, order_id, occurred_at, recorded_at, amount, currency, "
                    + "position_tx, position_seq)"
            );
            Add(command, _customers, NpgsqlDbType.Text);
            Add(command, _versions, NpgsqlDbType.Bigint);
            Add(command, _kinds, NpgsqlDbType.Text);
            Add(command, _orders, NpgsqlDbType.Text);
            Add(command, _occurredAt, NpgsqlDbType.TimestampTz);
            Add(command, _recordedAt, NpgsqlDbType.TimestampTz);
            Add(command, _amounts, NpgsqlDbType.Numeric);
            Add(command, _currencies, NpgsqlDbType.Text);
            Add(command, _transactions, NpgsqlDbType.Xid8);
            Add(command, _sequences, NpgsqlDbType.Bigint);
            batch.BatchCommands.Add(command);
        }
    }

    private static void Add<T>(NpgsqlBatchCommand command, List<T> column, NpgsqlDbType type) =>
        command.Parameters.Add(new() { Value = column.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | type });
}
