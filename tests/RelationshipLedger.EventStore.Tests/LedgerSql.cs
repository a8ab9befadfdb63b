using Npgsql;

namespace RelationshipLedger.EventStore.Tests;

/// <summary>Looks at the ledger's tables directly, bypassing the store, to check what is really stored.</summary>
public static class LedgerSql
{
    public static async Task<T> ScalarAsync<T>(
        NpgsqlDataSource dataSource,
        string sql,
        object[]? parameters = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters ?? [])
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>How many of <paramref name="eventIds"/> are stored (and committed) in the log.</summary>
    public static Task<long> CountEventsAsync(
        NpgsqlDataSource dataSource,
        IEnumerable<Guid> eventIds,
        CancellationToken cancellationToken = default
    ) =>
        ScalarAsync<long>(
            dataSource,
            "select count(*) from ledger.events where event_id = any($1)",
            [eventIds.ToArray()],
            cancellationToken
        );

    /// <summary>Every stored event row and stream head as text, to compare the log before and after an attempt to change it.</summary>
    public static Task<string> LogAsTextAsync(
        NpgsqlDataSource dataSource,
        CancellationToken cancellationToken = default
    ) =>
        ScalarAsync<string>(
            dataSource,
            "select coalesce((select string_agg(e::text, E'\\n' order by e.seq_id) from ledger.events e), '') "
                + "|| E'\\n--\\n' || coalesce((select string_agg(s::text, E'\\n' order by s.id) from ledger.streams s), '')",
            cancellationToken: cancellationToken
        );
}
