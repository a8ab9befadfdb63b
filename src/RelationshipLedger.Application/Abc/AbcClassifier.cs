using Npgsql;
using NpgsqlTypes;

namespace RelationshipLedger.Application.Abc;

/// <summary>
/// The ABC class of given customers as of an instant, from <c>ledger.abc_classes_at</c> (whose name
/// and columns are the contract other read models join: docs/abc.md). The classification ranks the
/// whole portfolio whichever customers are asked about, so ask once for many.
/// </summary>
public sealed class AbcClassifier(NpgsqlDataSource dataSource)
{
    public const string FunctionName = "ledger.abc_classes_at";

    private const string ClassesSql =
        "select customer_id, currency, net_revenue, rank, abc_class from ledger.abc_classes_at($1) "
        + "where customer_id = any($2)";

    /// <summary>The rankings of those of <paramref name="customerIds"/> registered by <paramref name="asOf"/>.</summary>
    public async Task<IReadOnlyDictionary<string, AbcRanking>> ClassesAtAsync(
        DateTimeOffset asOf,
        IReadOnlyCollection<string> customerIds,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(customerIds);
        await using var command = dataSource.CreateCommand(ClassesSql);
        command.Parameters.Add(new() { Value = asOf.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(
            new() { Value = customerIds.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text }
        );
        var rankings = new Dictionary<string, AbcRanking>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var ranking = new AbcRanking(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.GetDecimal(2),
                reader.GetInt64(3),
                Enum.Parse<AbcClass>(reader.GetString(4))
            );
            rankings[ranking.CustomerId] = ranking;
        }
        return rankings;
    }
}
