using Npgsql;
using RelationshipLedger.EventStore.Daemon;

namespace RelationshipLedger.EventStore.Tests.Daemon;

/// <summary>What the log holds, read directly, to compare with what a projection applied.</summary>
public static class DaemonSql
{
    /// <summary>Every committed event id in global order, optionally only of <paramref name="types"/>.</summary>
    public static async Task<IReadOnlyList<Guid>> EventIdsInGlobalOrderAsync(
        NpgsqlDataSource dataSource,
        params string[] types
    )
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand(
            "select event_id from ledger.events where cardinality($1::text[]) = 0 or type = any($1) order by tx_id, seq_id"
        );
        command.Parameters.Add(new NpgsqlParameter { Value = types });
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync())
            ids.Add(reader.GetGuid(0));
        return ids;
    }

    /// <summary>The backend of the session that holds <paramref name="projection"/>'s lock, if one does.</summary>
    public static async Task<int?> HolderPidAsync(NpgsqlDataSource dataSource, string projection)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand(
            "select l.pid from pg_locks l join ledger.projection_checkpoints c on l.objid = c.lock_key::oid "
                + "where c.name = $1 and l.locktype = 'advisory' and l.classid = $2::oid and l.objsubid = 2 and l.granted "
                + "and l.database = (select oid from pg_database where datname = current_database())"
        );
        command.Parameters.Add(new NpgsqlParameter { Value = projection });
        command.Parameters.Add(new NpgsqlParameter { Value = ProjectionLocks.DaemonKey });
        return await command.ExecuteScalarAsync() as int?;
    }
}
