using Npgsql;
using NpgsqlTypes;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>Context for the batch phases: each call imports one batch of rows with binary COPY, in its own transaction.</summary>
internal sealed class RawCopyWriter(NpgsqlDataSource dataSource, RawStreams streams, int rowsPerImport) : IBenchWriter
{
    private const string CopySql = $"copy bench.raw_events ({RawRow.Columns}) from stdin (format binary)";

    public async Task<int> WriteOnceAsync(CancellationToken cancellationToken)
    {
        var rows = streams.NextBatch(rowsPerImport);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var importer = await connection.BeginBinaryImportAsync(CopySql, cancellationToken);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(row.EventId, NpgsqlDbType.Uuid, cancellationToken);
            await importer.WriteAsync(row.StreamId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.Version, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(row.Type, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.Data, NpgsqlDbType.Jsonb, cancellationToken);
            await importer.WriteAsync(row.Metadata, NpgsqlDbType.Jsonb, cancellationToken);
            await importer.WriteAsync(row.OccurredAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await importer.WriteAsync(row.OccurredAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await importer.WriteAsync(RawRow.PlaceholderHash, NpgsqlDbType.Bytea, cancellationToken);
        }
        await importer.CompleteAsync(cancellationToken);
        return rows.Length;
    }
}
