using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Api.Tests.Feed;

/// <summary>An event appended through ledger.append_event on a connection of the test's own.</summary>
public sealed record RawEvent(Guid EventId, GlobalPosition Position);

/// <summary>
/// Appends as another writer of the database would, on a connection and transaction the test controls,
/// so that a test can hold an append open or roll it back while the API reads the log.
/// </summary>
public static class RawAppend
{
    public static async Task<RawEvent> AppendAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        string streamId,
        string type = "ContactRecorded",
        string data = """{"channel":"Phone","initiator":"Company","purpose":"FollowUp"}"""
    )
    {
        var eventId = Guid.CreateVersion7();
        await using var command = new NpgsqlCommand(
            "select tx_id, seq_id from ledger.append_event($1, 'customer', null, $2, $3, $4, $5, null)",
            connection,
            transaction
        )
        {
            Parameters =
            {
                new() { Value = streamId, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = eventId, NpgsqlDbType = NpgsqlDbType.Uuid },
                new() { Value = type, NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = data, NpgsqlDbType = NpgsqlDbType.Jsonb },
                new() { Value = """{"actor":"raw-writer"}""", NpgsqlDbType = NpgsqlDbType.Jsonb },
            },
        };
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return new RawEvent(eventId, new GlobalPosition(reader.GetFieldValue<ulong>(0), reader.GetInt64(1)));
    }

    /// <summary>Appends <paramref name="count"/> events to one stream in one committed transaction.</summary>
    public static async Task<IReadOnlyList<RawEvent>> CommitManyAsync(
        NpgsqlDataSource dataSource,
        string streamId,
        int count,
        string type = "ContactRecorded"
    )
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var events = new List<RawEvent>(count);
        for (var i = 0; i < count; i++)
            events.Add(await AppendAsync(connection, transaction, streamId, type));
        await transaction.CommitAsync();
        return events;
    }

    /// <summary>Every committed event id in the feed's order, read straight from the table.</summary>
    public static async Task<IReadOnlyList<Guid>> LogOrderAsync(NpgsqlDataSource dataSource, string? type = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand(
            "select event_id from ledger.events where $1::text is null or type = $1 order by tx_id, seq_id"
        );
        command.Parameters.Add(new() { Value = (object?)type ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            ids.Add(reader.GetGuid(0));
        return ids;
    }
}
