using Npgsql;
using NpgsqlTypes;

namespace RelationshipLedger.EventStore.Digests;

/// <summary>How a stream no longer extends the head a digest saw.</summary>
public enum DigestDiscrepancyKind
{
    /// <summary>The event at the digest's version has another hash: the stream was rewritten from there or before.</summary>
    Rewritten,

    /// <summary>The stream ends before the digest's version.</summary>
    Truncated,

    /// <summary>The stream has no events at all any more.</summary>
    Removed,
}

/// <summary>One stream that does not extend what the digest saw, and why.</summary>
public sealed record DigestDiscrepancy(string StreamId, DigestDiscrepancyKind Kind, string Reason);

/// <summary>
/// Compares the log with the heads of a digest: each stream must still hold, at the digest's version, an
/// event with the digest's hash. With the chains verified (<see cref="Integrity.ChainVerifier"/>), that proves
/// every event up to that version unchanged, since each hash covers all events before it — even when a
/// rewritten stream's chain was recomputed to be self-consistent.
/// </summary>
public sealed class DigestComparison(NpgsqlDataSource dataSource)
{
    // The heads go into a temporary table by binary COPY, then one join finds what no longer matches.
    private const string CompareSql = """
        select h.stream_id, h.version, e.hash is not null, last.version
        from digest_heads_to_check h
        left join ledger.events e on e.stream_id = h.stream_id and e.version = h.version
        left join lateral (
            select max(version) as version from ledger.events where stream_id = h.stream_id
        ) last on true
        where e.hash is distinct from h.hash
        """;

    public async Task<IReadOnlyList<DigestDiscrepancy>> CompareAsync(
        IReadOnlyList<StreamHead> heads,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(heads);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (
            var create = new NpgsqlCommand(
                "create temporary table digest_heads_to_check (stream_id text primary key, version bigint not null, hash bytea not null) on commit drop",
                connection
            )
        )
            await create.ExecuteNonQueryAsync(cancellationToken);
        await StreamHeadRows.CopyAsync(connection, "digest_heads_to_check", heads, null, cancellationToken);
        var discrepancies = new List<DigestDiscrepancy>();
        await using (var compare = new NpgsqlCommand(CompareSql, connection))
        await using (var reader = await compare.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                discrepancies.Add(
                    Discrepancy(
                        reader.GetString(0),
                        reader.GetInt64(1),
                        reader.GetBoolean(2),
                        reader.IsDBNull(3) ? null : reader.GetInt64(3)
                    )
                );
        }
        await transaction.CommitAsync(cancellationToken);
        discrepancies.Sort((a, b) => string.CompareOrdinal(a.StreamId, b.StreamId));
        return discrepancies;
    }

    private static DigestDiscrepancy Discrepancy(string streamId, long version, bool eventExists, long? lastVersion) =>
        (eventExists, lastVersion) switch
        {
            (true, _) => new(
                streamId,
                DigestDiscrepancyKind.Rewritten,
                $"the event at version {version} is not the one the digest saw: the stream was rewritten"
            ),
            (false, null) => new(
                streamId,
                DigestDiscrepancyKind.Removed,
                $"the digest saw {version} events, the log has none: the stream was removed"
            ),
            (false, { } last) when last < version => new(
                streamId,
                DigestDiscrepancyKind.Truncated,
                $"the digest saw version {version}, the stream now ends at version {last}: it was truncated"
            ),
            _ => new(
                streamId,
                DigestDiscrepancyKind.Rewritten,
                $"version {version} is missing although the stream goes on to version {lastVersion}: the stream was rewritten"
            ),
        };
}
