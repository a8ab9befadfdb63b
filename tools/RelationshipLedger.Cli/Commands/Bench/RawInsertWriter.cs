using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>
/// The raw baseline for appends: one autocommitted INSERT statement per call, of one row or of a whole
/// batch (a multi-row VALUES list), into a table with the event log's columns, defaults and indexes.
/// </summary>
internal sealed class RawInsertWriter(NpgsqlDataSource dataSource, RawStreams streams, int rowsPerStatement)
    : IBenchWriter
{
    private const int ParametersPerRow = 8;

    private readonly string _sql = InsertSql(rowsPerStatement);

    public async Task<int> WriteOnceAsync(CancellationToken cancellationToken)
    {
        var rows = streams.NextBatch(rowsPerStatement);
        await using var command = dataSource.CreateCommand(_sql);
        foreach (var row in rows)
        {
            command.Parameters.Add(new() { Value = row.EventId, NpgsqlDbType = NpgsqlDbType.Uuid });
            command.Parameters.Add(new() { Value = row.StreamId, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new() { Value = row.Version, NpgsqlDbType = NpgsqlDbType.Bigint });
            command.Parameters.Add(new() { Value = row.Type, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new() { Value = row.Data, NpgsqlDbType = NpgsqlDbType.Jsonb });
            command.Parameters.Add(new() { Value = row.Metadata, NpgsqlDbType = NpgsqlDbType.Jsonb });
            command.Parameters.Add(new() { Value = row.OccurredAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(new() { Value = RawRow.PlaceholderHash, NpgsqlDbType = NpgsqlDbType.Bytea });
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
        return rows.Length;
    }

    private static string InsertSql(int rows)
    {
        var sql = new StringBuilder($"insert into bench.raw_events ({RawRow.Columns}) values ");
        for (var row = 0; row < rows; row++)
        {
            var first = row * ParametersPerRow;
            sql.Append(row == 0 ? "" : ", ")
                .Append(
                    CultureInfo.InvariantCulture,
                    $"(${first + 1}, ${first + 2}, ${first + 3}, ${first + 4}, ${first + 5}, ${first + 6}, ${first + 7}, now(), ${first + 8})"
                );
        }
        return sql.ToString();
    }
}
