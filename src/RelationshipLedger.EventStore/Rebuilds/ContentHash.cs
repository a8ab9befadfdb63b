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
/// unqualified name, its row count and the sum (mod 2^256) of the SHA-256 of every row's text
/// (<c>row::text</c>, see <see cref="RowSum"/>). It depends only on the rows (as a multiset), not on
/// their physical order, the table's physical name or the session; the text forms are pinned (UTC,
/// ISO dates), so any node computes the same hash. No sort: the rows stream as they lie.
/// </summary>
public static class ContentHashes
{
    private const string PinnedTextForms =
        "set local timezone to 'UTC'; set local datestyle to 'ISO, YMD'; set local intervalstyle to 'postgres'; "
        + "set local extra_float_digits to 1; set local bytea_output to 'hex'";

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

    /// <summary>A repeatable-read, read-only transaction with the text forms the hash depends on pinned.</summary>
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
            "set transaction read only; " + importSnapshot + PinnedTextForms,
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
        var buffer = new byte[4096];
        var rowHash = new byte[RowSum.Bytes];
        var sumBytes = new byte[RowSum.Bytes];
        foreach (var (name, sqlName) in tables.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var sum = new RowSum();
            long tableRows = 0;
            await using (var command = new NpgsqlCommand($"select r::text from {sqlName} r", connection, transaction))
            await using (
                var reader = await command.ExecuteReaderAsync(
                    System.Data.CommandBehavior.SequentialAccess,
                    cancellationToken
                )
            )
                while (await reader.ReadAsync(cancellationToken))
                {
                    var line = reader.GetString(0);
                    var length = Encoding.UTF8.GetMaxByteCount(line.Length);
                    if (buffer.Length < length)
                        buffer = new byte[Math.Max(length, buffer.Length * 2)];
                    var written = Encoding.UTF8.GetBytes(line, buffer);
                    SHA256.HashData(buffer.AsSpan(0, written), rowHash);
                    sum.Add(rowHash);
                    tableRows++;
                }
            sum.WriteTo(sumBytes);
            sha.AppendData(Encoding.UTF8.GetBytes($"table {name}\n{tableRows}\n"));
            sha.AppendData(sumBytes);
            rows += tableRows;
        }
        return new ContentHash(Convert.ToHexStringLower(sha.GetHashAndReset()), rows, position);
    }
}
