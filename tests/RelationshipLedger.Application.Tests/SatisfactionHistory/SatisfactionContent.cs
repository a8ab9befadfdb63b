using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Application.Tests.SatisfactionHistory;

/// <summary>
/// The satisfaction read model's content as canonical lines ordered by (customer, at, version), and
/// the same lines folded from every customer's stream from scratch, with a SHA-256 of each.
/// </summary>
public static class SatisfactionContent
{
    public static async Task<IReadOnlyList<string>> ReadModelAsync(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand(
            "select customer_id, at, source, rating, recommend, complaint_id, version "
                + "from ledger.satisfaction_points order by customer_id, at, version"
        );
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
            lines.Add(
                Line(
                    reader.GetString(0),
                    new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc)),
                    reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetInt32(3),
                    reader.IsDBNull(4) ? null : reader.GetInt32(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.GetInt64(6)
                )
            );
        return lines;
    }

    /// <summary>Every customer's points as <see cref="SatisfactionRules.HistoryUpTo"/> gives them from a fold of the whole stream.</summary>
    public static async Task<IReadOnlyList<string>> FoldedFromScratchAsync(
        NpgsqlDataSource dataSource,
        CustomerStateLoader loader
    )
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(loader);
        var lines = new List<string>();
        foreach (var customerId in (await CustomerIdsAsync(dataSource)).Order(StringComparer.Ordinal))
        {
            var loaded = await loader.LoadFromScratchAsync(customerId, TimeTravel.Now);
            lines.AddRange(
                SatisfactionRules
                    .HistoryUpTo(loaded.State, DateTimeOffset.MaxValue)
                    .Select(p =>
                        Line(customerId, p.At, p.Source.ToString(), p.Rating, p.Recommend, p.ComplaintId, p.Version)
                    )
            );
        }
        return lines;
    }

    public static string Hash(IEnumerable<string> lines) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines))));

    private static async Task<List<string>> CustomerIdsAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("select id from ledger.streams where type = 'customer'");
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
            ids.Add(reader.GetString(0));
        return ids;
    }

    private static string Line(
        string customerId,
        DateTimeOffset at,
        string source,
        int? rating,
        int? recommend,
        string? complaintId,
        long version
    ) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{customerId}|{at.UtcDateTime:O}|{source}|{rating}|{recommend}|{complaintId}|{version}"
        );
}
