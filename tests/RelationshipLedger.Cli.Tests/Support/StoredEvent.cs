using Npgsql;

namespace RelationshipLedger.Cli.Tests.Support;

/// <summary>A row of <c>ledger.events</c> as the command left it, read with SQL rather than through the ledger's code.</summary>
public sealed record StoredEvent(
    string StreamId,
    long Version,
    string Type,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    string? Actor
)
{
    public static async Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(NpgsqlDataSource dataSource, string streamId)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand(
            """
            select stream_id, version, type, occurred_at, recorded_at, metadata ->> 'actor'
            from ledger.events where stream_id = $1 order by version
            """
        );
        command.Parameters.AddWithValue(streamId);
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<StoredEvent>();
        while (await reader.ReadAsync())
            events.Add(
                new StoredEvent(
                    reader.GetString(0),
                    reader.GetInt64(1),
                    reader.GetString(2),
                    reader.GetFieldValue<DateTimeOffset>(3),
                    reader.GetFieldValue<DateTimeOffset>(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5)
                )
            );
        return events;
    }

    public static async Task<long> CountAsync(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand("select count(*) from ledger.events");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
