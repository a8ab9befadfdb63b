using RelationshipLedger.Application.Abc;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Projections;
using static RelationshipLedger.Domain.Customers.CustomerEvent;

namespace RelationshipLedger.Application.Tests.Abc;

/// <summary>The projection applied by hand, as a rebuild would: the whole log in one batch, into the tables it is given.</summary>
public sealed class AbcRevenueProjectionTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2025, 2, 1, 9, 0, 0, TimeSpan.Zero);
    private Ledger _ledger = null!;

    public async Task InitializeAsync() => _ledger = await Ledger.CreateAsync();

    public async Task DisposeAsync() => await _ledger.DisposeAsync();

    [Fact]
    public async Task One_batch_writes_only_the_tables_it_is_given_and_a_refund_takes_the_currency_of_its_order()
    {
        await _ledger.Store.AppendAsync(
            "shadow-1",
            ExpectedVersion.Exactly(0),
            [
                new(new CustomerRegistered("Shadow Ltd", CustomerKind.Organization)) { OccurredAt = At },
                new(new PurchaseRecorded("o-1", 300m, "CHF")) { OccurredAt = At.AddDays(1) },
                new(new PurchaseRefunded("o-1", 120.5m, "damaged")) { OccurredAt = At.AddDays(2) },
                new(new SatisfactionSurveyed("s-1", 4)) { OccurredAt = At.AddDays(3) },
            ],
            CustomerId.StreamType
        );
        await ExecuteAsync(
            "create table ledger.abc_customers_shadow (like ledger.abc_customers including all); "
                + "create table ledger.abc_revenue_shadow (like ledger.abc_revenue including all)"
        );
        var projection = new AbcRevenueProjection(_ledger.Store.Serializer);
        var events = await _ledger.Store.ReadAllAsync(GlobalPosition.Start, 100, projection.EventTypes);

        await using (var connection = await _ledger.Database.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var tables = ProjectionTables.Map(
                projection,
                t => ProjectionTables.QualifiedName(ProjectionTables.Schema, t + "_shadow")
            );
            await projection.ApplyAsync(
                events,
                new AsyncProjectionContext(connection, transaction, tables),
                CancellationToken.None
            );
            await transaction.CommitAsync();
        }

        Assert.Equal(3, events.Count);
        Assert.Equal(
            "0|0|shadow-1;shadow-1|2|Purchase|o-1|300|CHF;shadow-1|3|Refund|o-1|-120.5|CHF",
            await ScalarAsync(
                "select (select count(*) from ledger.abc_customers) || '|' || (select count(*) from ledger.abc_revenue) "
                    + "|| '|' || (select string_agg(customer_id, ',') from ledger.abc_customers_shadow) || ';' || "
                    + "(select string_agg(concat_ws('|', customer_id, version, kind, order_id, amount, currency), ';' "
                    + "order by version) from ledger.abc_revenue_shadow)"
            )
        );
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _ledger.Database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<string> ScalarAsync(string sql)
    {
        await using var command = _ledger.Database.DataSource.CreateCommand(sql);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
