using NpgsqlTypes;
using RelationshipLedger.Application.Customers.Snapshots;
using RelationshipLedger.EventStore.Projections;

namespace RelationshipLedger.Application.StateHistory;

/// <summary>
/// Where the state history starts folding a stream it keeps no state for: the stream's newest snapshot
/// (written with its appends, every 100 versions; docs/customer-state.md) at or below the batch's newest
/// version, with the event id at the snapshot's version. The fold then reads that event and the ones
/// after it, and checks it like a kept state's last event. Without it a stream the kept states had let go
/// of was read and folded from version 1: with more long streams than the kept states' bound, every batch
/// read thousands of events again for each of them.
/// </summary>
internal static class SnapshotStarts
{
    // StateSnapshot.Read expects its columns first. One step down the primary key per stream.
    private const string Sql =
        "select s.version, s.state_format, s.state, s.state_bytes, t.customer_id, e.event_id "
        + "from unnest($1::text[], $2::bigint[]) as t(customer_id, newest) "
        + "cross join lateral (select * from ledger.customer_snapshots s where s.customer_id = t.customer_id "
        + "and s.version <= t.newest and s.state_format = any($3) order by s.version desc limit 1) s "
        + "join ledger.events e on e.stream_id = s.customer_id and e.version = s.version";

    /// <summary>Adds to <paramref name="starts"/> a snapshot start for each touched stream that has none and has a snapshot.</summary>
    public static async Task AddAsync(
        AsyncProjectionContext context,
        SortedDictionary<string, long> touched,
        Dictionary<string, FoldedStream> starts,
        CancellationToken cancellationToken
    )
    {
        var missing = touched.Where(t => !starts.ContainsKey(t.Key)).ToArray();
        if (missing.Length == 0)
            return;
        await using var command = context.CreateCommand(Sql);
        command.Parameters.Add(
            new()
            {
                Value = missing.Select(m => m.Key).ToArray(),
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
            }
        );
        command.Parameters.Add(
            new()
            {
                Value = missing.Select(m => m.Value).ToArray(),
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint,
            }
        );
        command.Parameters.Add(
            new() { Value = StateSnapshot.ReadableFormats, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text }
        );
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var snapshot = StateSnapshot.Read(reader);
            starts[reader.GetString(4)] = new FoldedStream(snapshot.State, reader.GetGuid(5));
        }
    }
}
