using Npgsql;
using NpgsqlTypes;

namespace RelationshipLedger.EventStore.Digests;

/// <summary>Stream heads written by binary COPY into a table with the columns <c>[digest_id,] stream_id, version, hash</c>.</summary>
internal static class StreamHeadRows
{
    public static async Task CopyAsync(
        NpgsqlConnection connection,
        string table,
        IEnumerable<StreamHead> heads,
        long? digestId,
        CancellationToken cancellationToken
    )
    {
        var columns = digestId is null ? "stream_id, version, hash" : "digest_id, stream_id, version, hash";
        await using var import = await connection.BeginBinaryImportAsync(
            $"copy {table} ({columns}) from stdin (format binary)",
            cancellationToken
        );
        foreach (var head in heads)
        {
            await import.StartRowAsync(cancellationToken);
            if (digestId is { } id)
                await import.WriteAsync(id, NpgsqlDbType.Bigint, cancellationToken);
            await import.WriteAsync(head.StreamId, NpgsqlDbType.Text, cancellationToken);
            await import.WriteAsync(head.Version, NpgsqlDbType.Bigint, cancellationToken);
            await import.WriteAsync(head.Hash, NpgsqlDbType.Bytea, cancellationToken);
        }
        await import.CompleteAsync(cancellationToken);
    }
}
