using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.EventStore.Projections;

namespace RelationshipLedger.EventStore.Rebuilds;

/// <summary>
/// A projection's rows as a SHA-256 (lower-case hex), how many rows that is, and the checkpoint those
/// rows were at (read in the same snapshot).
/// </summary>
public sealed record ContentHash(string Hash, long Rows, GlobalPosition Position);

/// <summary>
/// The content hash of a projection's tables: the SHA-256 of, for each declared table (by name), its
/// unqualified name, its row count and the sum (mod 2^256) of the SHA-256 of every row's bytes as
/// <c>COPY … TO STDOUT (FORMAT BINARY)</c> sends it (<see cref="CopiedRows"/>, <see cref="RowSum"/>). It
/// depends only on the rows (as a multiset), not on their physical order, the table's physical name or
/// the session's settings (binary forms have no time zone or date style), so any node computes the same
/// hash. No sort: the rows stream as they lie.
/// </summary>
public static class ContentHashes
{
    /// <summary>The live tables' hash and the projection's checkpoint, in one read-only snapshot.</summary>
    public static async Task<ContentHash> ComputeLiveAsync(
        NpgsqlDataSource dataSource,
        IAsyncProjection projection,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(projection);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginSnapshotAsync(connection, cancellationToken);
        var position = await LivePositionAsync(connection, transaction, projection.Name, cancellationToken);
        var hash = await ComputeAsync(
            connection,
            transaction,
            ProjectionTables.Live(projection),
            position,
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        return hash;
    }

    /// <summary>A repeatable-read, read-only transaction: one snapshot for the hash and the checkpoint it is at.</summary>
    internal static Task<NpgsqlTransaction> BeginSnapshotAsync(
        NpgsqlConnection connection,
        CancellationToken cancellationToken
    ) => BeginReadOnlyAsync(connection, "", cancellationToken);

    /// <summary>The same, in the snapshot <paramref name="snapshot"/> another transaction exported (<see cref="ExportSnapshotAsync"/>).</summary>
    internal static Task<NpgsqlTransaction> BeginInSnapshotAsync(
        NpgsqlConnection connection,
        string snapshot,
        CancellationToken cancellationToken
    ) => BeginReadOnlyAsync(connection, $"set transaction snapshot '{SnapshotId(snapshot)}'; ", cancellationToken);

    private static async Task<NpgsqlTransaction> BeginReadOnlyAsync(
        NpgsqlConnection connection,
        string importSnapshot,
        CancellationToken cancellationToken
    )
    {
        var transaction = await connection.BeginTransactionAsync(
            System.Data.IsolationLevel.RepeatableRead,
            cancellationToken
        );
        await using var command = new NpgsqlCommand(
            "set transaction read only; " + importSnapshot,
            connection,
            transaction
        );
        await command.ExecuteNonQueryAsync(cancellationToken);
        return transaction;
    }

    /// <summary>The transaction's snapshot, for another session to read the very same rows while it stays open.</summary>
    internal static async Task<string> ExportSnapshotAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        CancellationToken cancellationToken
    )
    {
        await using var command = new NpgsqlCommand("select pg_export_snapshot()", connection, transaction);
        return SnapshotId((string)(await command.ExecuteScalarAsync(cancellationToken))!);
    }

    /// <summary>A snapshot id as PostgreSQL exports them (hex and dashes): it goes into SQL as a literal.</summary>
    private static string SnapshotId(string snapshot) =>
        snapshot.Length is > 0 and <= 64 && snapshot.All(c => char.IsAsciiHexDigit(c) || c == '-')
            ? snapshot
            : throw new ArgumentException($"'{snapshot}' is not a snapshot id.", nameof(snapshot));

    /// <summary>The projection's checkpoint (the start of the log when it has none yet).</summary>
    internal static async Task<GlobalPosition> LivePositionAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string projection,
        CancellationToken cancellationToken
    )
    {
        await using var command = new NpgsqlCommand(
            "select position_tx, position_seq from ledger.projection_checkpoints where name = $1",
            connection,
            transaction
        );
        command.Parameters.Add(new() { Value = projection, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new GlobalPosition(reader.GetFieldValue<ulong>(0), reader.GetInt64(1))
            : GlobalPosition.Start;
    }

    /// <summary>
    /// Hashes the tables <paramref name="tables"/> maps the projection's names to (live or shadow), in
    /// the given transaction, streaming the rows: memory does not grow with the table.
    /// </summary>
    internal static async Task<ContentHash> ComputeAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        IReadOnlyDictionary<string, string> tables,
        GlobalPosition position,
        CancellationToken cancellationToken
    )
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long rows = 0;
        var sumBytes = new byte[RowSum.Bytes];
        foreach (var (name, sqlName) in tables.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            RowSum sum;
            long tableRows;
            await using (
                var export = await connection.BeginRawBinaryCopyAsync(
                    $"copy {sqlName} to stdout (format binary)",
                    cancellationToken
                )
            )
                (sum, tableRows) = await CopiedRows.SumAsync(export, cancellationToken);
            sum.WriteTo(sumBytes);
            sha.AppendData(Encoding.UTF8.GetBytes($"table {name}\n{tableRows}\n"));
            sha.AppendData(sumBytes);
            rows += tableRows;
        }
        return new ContentHash(Convert.ToHexStringLower(sha.GetHashAndReset()), rows, position);
    }
}
