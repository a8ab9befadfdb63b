using System.Runtime.CompilerServices;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace RelationshipLedger.EventStore;

public sealed partial class EventStore
{
    /// <summary>Each event's columns as stored: the rows <see cref="ReadStoredEvent"/> reads.</summary>
    internal const string StoredEventColumns =
        "e.seq_id, e.tx_id, e.event_id, e.stream_id, e.version, e.type, e.data, e.metadata, e.occurred_at, "
        + "e.recorded_at, e.hash";

    /// <summary>Each event's columns as stored (<see cref="ReadStoredEvent"/>), then its stream's key.</summary>
    internal const string EventColumns = StoredEventColumns + ", " + StreamKeyColumns;

    /// <summary>The events (<c>e</c>) with their streams' keys: the rows <see cref="ReadEvent"/> reads.</summary>
    internal const string EventsWithKeys = "ledger.events e " + StreamKeyJoin;

    // Only events of finished transactions: everything below the oldest running writer's xid.
    // A writer that is still open holds readers back (lag) and can never be overtaken (loss).
    private const string ReadAllSql =
        $"select {EventColumns} from {EventsWithKeys} "
        + "where (e.tx_id, e.seq_id) > ($1, $2) and e.tx_id < pg_snapshot_xmin(pg_current_snapshot()) "
        + "order by e.tx_id, e.seq_id limit $3";

    private const string ReadAllOfTypesSql =
        $"select {EventColumns} from {EventsWithKeys} "
        + "where (e.tx_id, e.seq_id) > ($1, $2) and e.tx_id < pg_snapshot_xmin(pg_current_snapshot()) "
        + "and e.type = any($4) order by e.tx_id, e.seq_id limit $3";

    // The same boundary, read backwards: the last event a reader of the global log can take now.
    internal const string ReadableHeadSql =
        "select tx_id, seq_id from ledger.events where tx_id < pg_snapshot_xmin(pg_current_snapshot()) "
        + "order by tx_id desc, seq_id desc limit 1";

    /// <summary>The stream's head, or null when it does not exist.</summary>
    public async Task<StreamInfo?> GetStreamAsync(string streamId, CancellationToken cancellationToken = default)
    {
        ValidateStreamId(streamId);
        await using var command = DataSource.CreateCommand(
            "select id, type, version, created_at, updated_at, head_hash from ledger.streams where id = $1"
        );
        command.Parameters.Add(new() { Value = streamId, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        return new StreamInfo(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetInt64(2),
            AsUtc(reader.GetDateTime(3)),
            AsUtc(reader.GetDateTime(4)),
            reader.GetFieldValue<byte[]>(5)
        );
    }

    /// <summary>The events of one stream that match <paramref name="readOptions"/>, in its order.</summary>
    public async IAsyncEnumerable<RecordedEvent> ReadStreamAsync(
        string streamId,
        StreamReadOptions? readOptions = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        ValidateStreamId(streamId);
        readOptions ??= StreamReadOptions.All;
        await using var command = StreamQuery(streamId, readOptions);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            yield return ReadEvent(reader, readOptions.AsStored);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> committed events after <paramref name="after"/> in global order,
    /// optionally only of <paramref name="types"/>. Pass the last event's position to get the next page.
    /// An event is never returned after a later one has been, and no committed event is ever skipped.
    /// </summary>
    public async Task<IReadOnlyList<RecordedEvent>> ReadAllAsync(
        GlobalPosition after,
        int limit,
        IReadOnlyCollection<string>? types = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var command = DataSource.CreateCommand(types is null ? ReadAllSql : ReadAllOfTypesSql);
        command.Parameters.Add(new() { Value = after.TransactionId, NpgsqlDbType = NpgsqlDbType.Xid8 });
        command.Parameters.Add(new() { Value = after.SequenceId, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = limit, NpgsqlDbType = NpgsqlDbType.Integer });
        if (types is not null)
            command.Parameters.Add(
                new() { Value = types.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text }
            );
        var events = new List<RecordedEvent>(Math.Min(limit, 4096));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            events.Add(ReadEvent(reader));
        return events;
    }

    /// <summary>Every committed event after <paramref name="after"/>, page by page, until the reader is caught up.</summary>
    public async IAsyncEnumerable<RecordedEvent> ReadAllForwardAsync(
        GlobalPosition after,
        int pageSize = 1000,
        IReadOnlyCollection<string>? types = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        while (true)
        {
            var page = await ReadAllAsync(after, pageSize, types, cancellationToken);
            foreach (var recorded in page)
                yield return recorded;
            if (page.Count < pageSize)
                yield break;
            after = page[^1].Position;
        }
    }

    /// <summary>
    /// The position of the last event <see cref="ReadAllAsync"/> can return now (<see cref="GlobalPosition.Start"/>
    /// for an empty log). It moves only forwards, and only when committed events become readable:
    /// an open writer holds it back exactly as it holds back the readers.
    /// </summary>
    public async Task<GlobalPosition> GetReadableHeadAsync(CancellationToken cancellationToken = default)
    {
        await using var command = DataSource.CreateCommand(ReadableHeadSql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new GlobalPosition(reader.GetFieldValue<ulong>(0), reader.GetInt64(1))
            : GlobalPosition.Start;
    }

    private NpgsqlCommand StreamQuery(string streamId, StreamReadOptions readOptions)
    {
        var sql = new StringBuilder(
            $"select {EventColumns} from {EventsWithKeys} where e.stream_id = $1 and e.version >= $2"
        );
        var command = DataSource.CreateCommand();
        command.Parameters.Add(new() { Value = streamId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = readOptions.FromVersion, NpgsqlDbType = NpgsqlDbType.Bigint });
        void Filter(string condition, object value, NpgsqlDbType type)
        {
            command.Parameters.Add(new() { Value = value, NpgsqlDbType = type });
            sql.Append(" and ").Append(condition).Append(" $").Append(command.Parameters.Count);
        }
        if (readOptions.ToVersion is { } toVersion)
            Filter("e.version <=", toVersion, NpgsqlDbType.Bigint);
        if (readOptions.OccurredAtOrBefore is { } occurredAt)
            Filter("e.occurred_at <=", occurredAt.UtcDateTime, NpgsqlDbType.TimestampTz);
        if (readOptions.RecordedAtOrBefore is { } recordedAt)
            Filter("e.recorded_at <=", recordedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
        sql.Append(
            readOptions.Order == StreamOrder.OccurredAt ? " order by e.occurred_at, e.version" : " order by e.version"
        );
        command.CommandText = sql.ToString();
        return command;
    }

    /// <summary>
    /// An event from a row of <see cref="EventColumns"/>: its payload revealed under its stream's key
    /// (<see cref="EventSerializer.Reveal"/>), or as stored when <paramref name="asStored"/>.
    /// </summary>
    internal RecordedEvent ReadEvent(NpgsqlDataReader reader, bool asStored = false) =>
        ReadEvent(reader, asStored ? static _ => false : static _ => true);

    /// <summary>
    /// An event from a row of <see cref="EventColumns"/>: its payload revealed when <paramref name="reveals"/>
    /// says so for its stored type, as stored otherwise.
    /// </summary>
    internal RecordedEvent ReadEvent(NpgsqlDataReader reader, Func<string, bool> reveals)
    {
        var stored = ReadStoredEvent(reader);
        if (Serializer.Protection is null || !reveals(stored.Type))
            return stored;
        return stored with
        {
            Data = Serializer.Reveal(stored.StreamId, stored.Type, stored.Data, StreamKeyAt(reader, 11)),
        };
    }

    /// <summary>An event from the first eleven of <see cref="EventColumns"/>, exactly as stored.</summary>
    internal static RecordedEvent ReadStoredEvent(NpgsqlDataReader reader) =>
        new(
            new GlobalPosition(reader.GetFieldValue<ulong>(1), reader.GetInt64(0)),
            reader.GetGuid(2),
            reader.GetString(3),
            reader.GetInt64(4),
            reader.GetString(5),
            reader.GetString(6),
            reader.GetString(7),
            AsUtc(reader.GetDateTime(8)),
            AsUtc(reader.GetDateTime(9)),
            reader.GetFieldValue<byte[]>(10)
        );
}
