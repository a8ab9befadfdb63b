using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.Application.Abc;

namespace RelationshipLedger.Application.Tests.Abc;

/// <summary>
/// Rows written straight into the ABC read model's tables, to test the classification on its own: the SQL
/// function, and the same classification in memory (<see cref="AbcRevenueMirror"/>), which
/// <see cref="ClassesAtAsync"/> requires to agree. Each row takes the next log position, as the daemon's do.
/// </summary>
public sealed class AbcFacts(NpgsqlDataSource dataSource, AbcRevenueMirror? mirror = null)
{
    private long _version;
    private long _position;

    /// <summary>The in-memory classification over the same tables.</summary>
    public AbcRevenueMirror Mirror { get; } = mirror ?? new(dataSource);

    /// <summary>A registration at <paramref name="at"/>, recorded then too unless <paramref name="recordedAt"/> says later.</summary>
    public async Task RegisterAsync(string customerId, DateTimeOffset at, DateTimeOffset? recordedAt = null)
    {
        await using var command = dataSource.CreateCommand(
            "insert into ledger.abc_customers (customer_id, registered_at, recorded_at, position_tx, position_seq) "
                + "values ($1, $2, $3, '1'::xid8, $4)"
        );
        command.Parameters.Add(new() { Value = customerId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = at.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(
            new() { Value = (recordedAt ?? at).UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz }
        );
        command.Parameters.Add(new() { Value = ++_position, NpgsqlDbType = NpgsqlDbType.Bigint });
        await command.ExecuteNonQueryAsync();
    }

    public Task PurchaseAsync(
        string customerId,
        DateTimeOffset at,
        decimal amount,
        string currency = "EUR",
        DateTimeOffset? recordedAt = null
    ) => FactAsync(customerId, "Purchase", at, amount, currency, recordedAt ?? at);

    public Task RefundAsync(string customerId, DateTimeOffset at, decimal amount, string currency = "EUR") =>
        FactAsync(customerId, "Refund", at, -amount, currency, at);

    private async Task FactAsync(
        string customerId,
        string kind,
        DateTimeOffset at,
        decimal amount,
        string currency,
        DateTimeOffset recordedAt
    )
    {
        var version = ++_version;
        await using var command = dataSource.CreateCommand(
            "insert into ledger.abc_revenue (customer_id, version, kind, order_id, occurred_at, recorded_at, "
                + "amount, currency, position_tx, position_seq) values ($1, $2, $3, 'o', $4, $7, $5, $6, '1'::xid8, $8)"
        );
        command.Parameters.Add(new() { Value = customerId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = version, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = kind, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = at.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = amount, NpgsqlDbType = NpgsqlDbType.Numeric });
        command.Parameters.Add(new() { Value = currency, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = recordedAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = ++_position, NpgsqlDbType = NpgsqlDbType.Bigint });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Every row of <c>ledger.abc_classes_at(asOf)</c> — or, with <paramref name="knownAt"/>, of
    /// <c>abc_classes_at(asOf, knownAt)</c> — as <c>customer|currency|net|rank|class</c>, by customer id,
    /// after checking that <see cref="Mirror"/> classifies exactly alike (net revenues to the last digit of
    /// their scale).
    /// </summary>
    public async Task<IReadOnlyList<string>> ClassesAtAsync(DateTimeOffset asOf, DateTimeOffset? knownAt = null)
    {
        var exact = await SqlClassesAsync(asOf, knownAt, "G");
        Assert.Equal(exact.Order(StringComparer.Ordinal), await MirrorClassesAsync(asOf, knownAt, "G"));
        return await SqlClassesAsync(asOf, knownAt, "0.####");
    }

    /// <summary>The mirror's classification as <see cref="ClassesAtAsync"/>'s lines, net revenue in <paramref name="format"/>, in ordinal order.</summary>
    public async Task<IReadOnlyList<string>> MirrorClassesAsync(
        DateTimeOffset asOf,
        DateTimeOffset? knownAt,
        string format
    )
    {
        var classification = await Mirror.ClassifyAsync(asOf, knownAt);
        return
        [
            .. classification
                .Page(null, null, int.MaxValue)
                .Select(r => Line(r.CustomerId, r.Currency, r.NetRevenue, r.Rank, r.Class.ToString(), format))
                .Order(StringComparer.Ordinal),
        ];
    }

    private static string Line(
        string customerId,
        string? currency,
        decimal net,
        long rank,
        string abcClass,
        string format
    ) =>
        string.Join(
            '|',
            customerId,
            currency ?? "-",
            net.ToString(format, CultureInfo.InvariantCulture),
            rank,
            abcClass
        );

    private async Task<IReadOnlyList<string>> SqlClassesAsync(
        DateTimeOffset asOf,
        DateTimeOffset? knownAt,
        string format
    )
    {
        await using var command = dataSource.CreateCommand(
            "select customer_id, currency, net_revenue, rank, abc_class from "
                + (knownAt is null ? "ledger.abc_classes_at($1) " : "ledger.abc_classes_at($1, $2) ")
                + "order by customer_id"
        );
        command.Parameters.Add(new() { Value = asOf.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        if (knownAt is { } known)
            command.Parameters.Add(new() { Value = known.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(
                Line(
                    reader.GetString(0),
                    reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.GetDecimal(2),
                    reader.GetInt64(3),
                    reader.GetString(4),
                    format
                )
            );
        return rows;
    }
}
