using System.Data;
using Npgsql;
using NpgsqlTypes;

namespace RelationshipLedger.EventStore.Digests;

/// <summary>
/// Takes, stores and reads digests of the whole log (<c>ledger.digests</c>, <c>ledger.digest_heads</c>).
/// A digest is taken in one repeatable-read snapshot: the position is the last event a reader of the
/// gap-free order can take, and the heads are each stream's last event at or before it.
/// </summary>
public sealed class LedgerDigests(NpgsqlDataSource dataSource)
{
    private const string DigestColumns = "id, taken_at, tx_id, seq_id, streams, events, root";

    private const string HeadsAtSql =
        "select distinct on (stream_id) stream_id, version, hash from ledger.events "
        + "where (tx_id, seq_id) <= ($1, $2) order by stream_id, version desc";

    /// <summary>Takes a digest of every stream's head at the readable end of the log, and stores it.</summary>
    public async Task<LedgerDigest> TakeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(
            IsolationLevel.RepeatableRead,
            cancellationToken
        );
        var position = await ReadableHeadAsync(connection, cancellationToken);
        var heads = await HeadsAtAsync(connection, position, cancellationToken);
        var root = MerkleTree.Root([.. heads.Select(MerkleTree.LeafHash)]);
        var events = heads.Sum(h => h.Version);

        await using var insert = new NpgsqlCommand(
            $"insert into ledger.digests (tx_id, seq_id, streams, events, root) values ($1, $2, $3, $4, $5) returning {DigestColumns}",
            connection
        );
        insert.Parameters.Add(new() { Value = position.TransactionId, NpgsqlDbType = NpgsqlDbType.Xid8 });
        insert.Parameters.Add(new() { Value = position.SequenceId, NpgsqlDbType = NpgsqlDbType.Bigint });
        insert.Parameters.Add(new() { Value = (long)heads.Count, NpgsqlDbType = NpgsqlDbType.Bigint });
        insert.Parameters.Add(new() { Value = events, NpgsqlDbType = NpgsqlDbType.Bigint });
        insert.Parameters.Add(new() { Value = root, NpgsqlDbType = NpgsqlDbType.Bytea });
        LedgerDigest digest;
        await using (var reader = await insert.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            digest = ReadDigest(reader);
        }
        await StreamHeadRows.CopyAsync(connection, "ledger.digest_heads", heads, digest.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return digest;
    }

    /// <summary>The newest digests first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<LedgerDigest>> ListAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"select {DigestColumns} from ledger.digests order by id desc limit $1"
        );
        command.Parameters.Add(new() { Value = limit, NpgsqlDbType = NpgsqlDbType.Integer });
        var digests = new List<LedgerDigest>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            digests.Add(ReadDigest(reader));
        return digests;
    }

    /// <summary>The digest <paramref name="id"/>, or the latest when null; null when there is none.</summary>
    public async Task<LedgerDigest?> GetAsync(long? id, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"select {DigestColumns} from ledger.digests where $1::bigint is null or id = $1 order by id desc limit 1"
        );
        command.Parameters.Add(new() { Value = (object?)id ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadDigest(reader) : null;
    }

    /// <summary>The heads digest <paramref name="digestId"/> saw, in tree order.</summary>
    public async Task<IReadOnlyList<StreamHead>> HeadsAsync(
        long digestId,
        CancellationToken cancellationToken = default
    )
    {
        await using var command = dataSource.CreateCommand(
            "select stream_id, version, hash from ledger.digest_heads where digest_id = $1"
        );
        command.Parameters.Add(new() { Value = digestId, NpgsqlDbType = NpgsqlDbType.Bigint });
        return await ReadHeadsAsync(command, cancellationToken);
    }

    private static async Task<GlobalPosition> ReadableHeadAsync(
        NpgsqlConnection connection,
        CancellationToken cancellationToken
    )
    {
        await using var command = new NpgsqlCommand(EventStore.ReadableHeadSql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new GlobalPosition(reader.GetFieldValue<ulong>(0), reader.GetInt64(1))
            : GlobalPosition.Start;
    }

    private static async Task<IReadOnlyList<StreamHead>> HeadsAtAsync(
        NpgsqlConnection connection,
        GlobalPosition position,
        CancellationToken cancellationToken
    )
    {
        await using var command = new NpgsqlCommand(HeadsAtSql, connection);
        command.Parameters.Add(new() { Value = position.TransactionId, NpgsqlDbType = NpgsqlDbType.Xid8 });
        command.Parameters.Add(new() { Value = position.SequenceId, NpgsqlDbType = NpgsqlDbType.Bigint });
        return await ReadHeadsAsync(command, cancellationToken);
    }

    private static async Task<IReadOnlyList<StreamHead>> ReadHeadsAsync(
        NpgsqlCommand command,
        CancellationToken cancellationToken
    )
    {
        var heads = new List<StreamHead>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            heads.Add(new StreamHead(reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<byte[]>(2)));
        // The database's collation may order ids differently: the tree's order is ordinal, always.
        heads.Sort(StreamHead.ByStreamId);
        return heads;
    }

    private static LedgerDigest ReadDigest(NpgsqlDataReader reader) =>
        new(
            reader.GetInt64(0),
            new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc)),
            new GlobalPosition(reader.GetFieldValue<ulong>(2), reader.GetInt64(3)),
            reader.GetInt64(4),
            reader.GetInt64(5),
            reader.GetFieldValue<byte[]>(6)
        );
}
