using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.Application.Abc;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>
/// The ABC read model's rows for many customers, written by binary COPY straight into
/// <c>ledger.abc_customers</c> and <c>ledger.abc_revenue</c> as the projection would write them
/// (the daemon's own speed is <c>ledger bench daemon</c>'s subject): each customer registered in the
/// first year, then buying every 10 to 70 days until the end, one in ten in USD, one purchase in
/// twenty partly refunded, customers' sizes log-normal. Seeded, so every run writes the same portfolio.
/// </summary>
internal static class AbcBenchmarkData
{
    /// <summary>The COPY of registrations, as the <c>abc_revenue</c> projection's rows (also <see cref="PortfolioAbcWriter"/>'s).</summary>
    public const string CustomersCopy =
        $"copy ledger.{AbcRevenueProjection.CustomersTable} (customer_id, registered_at, recorded_at, position_tx, position_seq) "
        + "from stdin (format binary)";

    /// <summary>The COPY of purchases and refunds, as the <c>abc_revenue</c> projection's rows.</summary>
    public const string RevenueCopy =
        $"copy ledger.{AbcRevenueProjection.RevenueTable} (customer_id, version, kind, order_id, occurred_at, "
        + "recorded_at, amount, currency, position_tx, position_seq) from stdin (format binary)";

    /// <summary>Writes the portfolio; returns the number of revenue rows.</summary>
    public static async Task<long> WriteAsync(
        NpgsqlDataSource dataSource,
        int customers,
        DateTimeOffset start,
        DateTimeOffset end,
        Action<int> progress,
        CancellationToken cancellationToken
    )
    {
        var random = new Random(4711);
        long rows = 0;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var registrations = await connection.BeginBinaryImportAsync(CustomersCopy, cancellationToken))
        {
            for (var c = 0; c < customers; c++)
            {
                await registrations.StartRowAsync(cancellationToken);
                await registrations.WriteAsync(Id(c), NpgsqlDbType.Text, cancellationToken);
                // Recorded when it happened, as a live ledger records it.
                var registered = Registered(c, start).UtcDateTime;
                await registrations.WriteAsync(registered, NpgsqlDbType.TimestampTz, cancellationToken);
                await registrations.WriteAsync(registered, NpgsqlDbType.TimestampTz, cancellationToken);
                await registrations.WriteAsync(1UL, NpgsqlDbType.Xid8, cancellationToken);
                await registrations.WriteAsync(0L, NpgsqlDbType.Bigint, cancellationToken);
            }
            await registrations.CompleteAsync(cancellationToken);
        }
        await using var revenue = await connection.BeginBinaryImportAsync(RevenueCopy, cancellationToken);
        for (var c = 0; c < customers; c++)
        {
            var currency = c % 10 == 9 ? "USD" : "EUR";
            // Customers differ in size by orders of magnitude (log-normal), as real pyramids do.
            var size = Math.Exp(1.5 * Gaussian(random));
            var at = Registered(c, start);
            var version = 1L;
            var order = 0;
            while (true)
            {
                at += TimeSpan.FromHours(random.Next(10 * 24, 70 * 24));
                if (at > end)
                    break;
                var amount = Math.Round((decimal)(size * (20 + random.NextDouble() * 400)), 2);
                order++;
                await RowAsync(revenue, Id(c), ++version, "Purchase", order, at, amount, currency, cancellationToken);
                if (random.Next(20) == 0)
                    await RowAsync(
                        revenue,
                        Id(c),
                        ++version,
                        "Refund",
                        order,
                        at + TimeSpan.FromDays(3),
                        -Math.Round(amount / 3, 2),
                        currency,
                        cancellationToken
                    );
            }
            rows += version - 1;
            if (c % 1000 == 999)
                progress(c + 1);
        }
        await revenue.CompleteAsync(cancellationToken);
        return rows;
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static string Id(int customer) => $"bench-{customer:D7}";

    private static DateTimeOffset Registered(int customer, DateTimeOffset start) =>
        start + TimeSpan.FromMinutes(customer * 5_237L % (365 * 24 * 60));

    private static async Task RowAsync(
        NpgsqlBinaryImporter importer,
        string customer,
        long version,
        string kind,
        int order,
        DateTimeOffset at,
        decimal amount,
        string currency,
        CancellationToken cancellationToken
    )
    {
        await importer.StartRowAsync(cancellationToken);
        await importer.WriteAsync(customer, NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(version, NpgsqlDbType.Bigint, cancellationToken);
        await importer.WriteAsync(kind, NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync($"o-{order}", NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(at.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
        await importer.WriteAsync(at.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
        await importer.WriteAsync(amount, NpgsqlDbType.Numeric, cancellationToken);
        await importer.WriteAsync(currency, NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(1UL, NpgsqlDbType.Xid8, cancellationToken);
        await importer.WriteAsync(version, NpgsqlDbType.Bigint, cancellationToken);
    }
}
