using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.Application.Abc;
using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>
/// Writes the ABC read model's rows for seeded customers by binary COPY — the registration, each purchase
/// and each refund (negative), as the <c>abc_revenue</c> projection writes them — so that the portfolio's
/// <c>abc</c> filter can be timed beside the periods <see cref="PortfolioPeriodCopier"/> writes.
/// </summary>
internal sealed class PortfolioAbcWriter : IAsyncDisposable
{
    /// <summary>Log positions per customer: its events' versions stay below this.</summary>
    private const long PositionsPerCustomer = 100_000;

    private readonly NpgsqlConnection _customersConnection;
    private readonly NpgsqlConnection _revenueConnection;
    private readonly NpgsqlBinaryImporter _customers;
    private readonly NpgsqlBinaryImporter _revenue;

    private PortfolioAbcWriter(
        NpgsqlConnection customersConnection,
        NpgsqlConnection revenueConnection,
        NpgsqlBinaryImporter customers,
        NpgsqlBinaryImporter revenue
    )
    {
        (_customersConnection, _revenueConnection) = (customersConnection, revenueConnection);
        (_customers, _revenue) = (customers, revenue);
    }

    public static async Task<PortfolioAbcWriter> OpenAsync(
        NpgsqlDataSource dataSource,
        CancellationToken cancellationToken
    )
    {
        var customersConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        var revenueConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        return new PortfolioAbcWriter(
            customersConnection,
            revenueConnection,
            await customersConnection.BeginBinaryImportAsync(AbcBenchmarkData.CustomersCopy, cancellationToken),
            await revenueConnection.BeginBinaryImportAsync(AbcBenchmarkData.RevenueCopy, cancellationToken)
        );
    }

    /// <summary>The rows of customer number <paramref name="index"/>, whose folded stream is <paramref name="state"/>.</summary>
    public async Task WriteAsync(int index, string customerId, CustomerState state, CancellationToken cancellationToken)
    {
        var position = index * PositionsPerCustomer;
        await _customers.StartRowAsync(cancellationToken);
        await _customers.WriteAsync(customerId, NpgsqlDbType.Text, cancellationToken);
        await _customers.WriteAsync(state.Registered.At.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
        await _customers.WriteAsync(state.Registered.At.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
        await _customers.WriteAsync(1UL, NpgsqlDbType.Xid8, cancellationToken);
        await _customers.WriteAsync(position + state.Registered.Version, NpgsqlDbType.Bigint, cancellationToken);
        foreach (var purchase in state.Purchases)
            await RevenueAsync(
                customerId,
                "Purchase",
                purchase,
                purchase.Amount,
                state.Currency!,
                position,
                cancellationToken
            );
        foreach (var refund in state.Refunds)
            await RevenueAsync(
                customerId,
                "Refund",
                refund,
                -refund.Amount,
                state.Currency!,
                position,
                cancellationToken
            );
    }

    private async Task RevenueAsync(
        string customerId,
        string kind,
        RevenueFact fact,
        decimal amount,
        string currency,
        long position,
        CancellationToken cancellationToken
    )
    {
        var at = fact.Moment.At.UtcDateTime;
        await _revenue.StartRowAsync(cancellationToken);
        await _revenue.WriteAsync(customerId, NpgsqlDbType.Text, cancellationToken);
        await _revenue.WriteAsync(fact.Moment.Version, NpgsqlDbType.Bigint, cancellationToken);
        await _revenue.WriteAsync(kind, NpgsqlDbType.Text, cancellationToken);
        await _revenue.WriteAsync(fact.OrderId, NpgsqlDbType.Text, cancellationToken);
        await _revenue.WriteAsync(at, NpgsqlDbType.TimestampTz, cancellationToken);
        await _revenue.WriteAsync(at, NpgsqlDbType.TimestampTz, cancellationToken);
        await _revenue.WriteAsync(amount, NpgsqlDbType.Numeric, cancellationToken);
        await _revenue.WriteAsync(currency, NpgsqlDbType.Text, cancellationToken);
        await _revenue.WriteAsync(1UL, NpgsqlDbType.Xid8, cancellationToken);
        await _revenue.WriteAsync(position + fact.Moment.Version, NpgsqlDbType.Bigint, cancellationToken);
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await _customers.CompleteAsync(cancellationToken);
        await _revenue.CompleteAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _customers.DisposeAsync();
        await _revenue.DisposeAsync();
        await _customersConnection.DisposeAsync();
        await _revenueConnection.DisposeAsync();
    }
}
