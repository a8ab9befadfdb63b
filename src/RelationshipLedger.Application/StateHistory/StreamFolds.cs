using Npgsql;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.EventStore.Serialization;

namespace RelationshipLedger.Application.StateHistory;

/// <summary>A stream's state folded through its event <paramref name="LastEventId"/> (at <c>State.Version</c>).</summary>
internal readonly record struct FoldedStream(CustomerState State, Guid LastEventId);

/// <summary>What a fold returned: each stream's state, and the streams whose given start the log contradicts.</summary>
internal sealed record StreamFoldResult(
    List<(string CustomerId, FoldedStream Folded)> Streams,
    HashSet<string> Diverged
);

/// <summary>
/// Customer streams folded straight from a query of the log, for the read models that fold many
/// streams at once. The query returns, ordered by stream and version, the columns
/// <see cref="Columns"/> from <c>ledger.events e</c> joined with <see cref="EventStore.EventStore.StreamKeyJoin"/>.
/// </summary>
internal static class StreamFolds
{
    public const string Columns =
        "e.stream_id, e.version, e.type, e.data::text, e.occurred_at, "
        + EventStore.EventStore.StreamKeyColumns
        + ", e.event_id";

    /// <summary>Each stream the query returns, folded from <see cref="CustomerState.Initial"/> over its rows, in query order.</summary>
    public static async Task<List<(string CustomerId, CustomerState State)>> FoldAsync(
        NpgsqlCommand command,
        EventSerializer serializer,
        CancellationToken cancellationToken
    )
    {
        var result = await FoldAsync(command, serializer, new Dictionary<string, FoldedStream>(), cancellationToken);
        return result.Streams.Select(s => (s.CustomerId, s.Folded.State)).ToList();
    }

    /// <summary>
    /// Each stream the query returns, folded on from its state in <paramref name="startFrom"/> (or from
    /// <see cref="CustomerState.Initial"/>). For a stream with a start, the query's first row must be the
    /// start's own last event — same version, same event id — and is not folded again; a stream whose
    /// first row is anything else is left out and named in <see cref="StreamFoldResult.Diverged"/>.
    /// </summary>
    public static async Task<StreamFoldResult> FoldAsync(
        NpgsqlCommand command,
        EventSerializer serializer,
        IReadOnlyDictionary<string, FoldedStream> startFrom,
        CancellationToken cancellationToken
    )
    {
        var result = new StreamFoldResult([], new HashSet<string>(StringComparer.Ordinal));
        string? current = null;
        var folded = new FoldedStream(CustomerState.Initial, Guid.Empty);
        var checkStart = false;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var streamId = reader.GetString(0);
                if (streamId != current)
                {
                    if (current is not null && !result.Diverged.Contains(current))
                        result.Streams.Add((current, folded));
                    current = streamId;
                    checkStart = startFrom.TryGetValue(streamId, out folded);
                    if (!checkStart)
                        folded = new FoldedStream(CustomerState.Initial, Guid.Empty);
                }
                if (result.Diverged.Contains(streamId))
                    continue;
                var version = reader.GetInt64(1);
                var eventId = reader.GetGuid(7);
                if (checkStart)
                {
                    checkStart = false;
                    if (version != folded.State.Version || eventId != folded.LastEventId)
                        result.Diverged.Add(streamId);
                    continue;
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
                folded = new FoldedStream(
                    CustomerDecider.Evolve(folded.State, data, new EventMoment(version, occurredAt)),
                    eventId
                );
            }
        }
        if (current is not null && !result.Diverged.Contains(current))
            result.Streams.Add((current, folded));
        return result;
    }
}
