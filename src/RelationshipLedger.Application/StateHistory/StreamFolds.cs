using Npgsql;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.EventStore.Serialization;

namespace RelationshipLedger.Application.StateHistory;

/// <summary>
/// Customer streams folded straight from a query of the log, for the read models that fold many
/// streams at once. The query returns, ordered by stream and version, the columns
/// <see cref="Columns"/> from <c>ledger.events e</c> joined with <see cref="EventStore.EventStore.StreamKeyJoin"/>.
/// </summary>
internal static class StreamFolds
{
    public const string Columns =
        "e.stream_id, e.version, e.type, e.data::text, e.occurred_at, " + EventStore.EventStore.StreamKeyColumns;

    /// <summary>Each stream the query returns, folded from <see cref="CustomerState.Initial"/> over its rows, in query order.</summary>
    public static async Task<List<(string CustomerId, CustomerState State)>> FoldAsync(
        NpgsqlCommand command,
        EventSerializer serializer,
        CancellationToken cancellationToken
    )
    {
        var states = new List<(string, CustomerState)>();
        string? current = null;
        var state = CustomerState.Initial;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var streamId = reader.GetString(0);
                if (streamId != current)
                {
                    if (current is not null)
                        states.Add((current, state));
                    (current, state) = (streamId, CustomerState.Initial);
                }
                var type = reader.GetString(2);
                var json = serializer.Reveal(
                    streamId,
                    type,
                    reader.GetString(3),
                    EventStore.EventStore.StreamKeyAt(reader, 5)
                );
                var data = (CustomerEvent)serializer.Deserialize(type, json);
                var occurredAt = new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(4), DateTimeKind.Utc));
                state = CustomerDecider.Evolve(state, data, new EventMoment(reader.GetInt64(1), occurredAt));
            }
        }
        if (current is not null)
            states.Add((current, state));
        return states;
    }
}
