using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.EventStore.Projections;

namespace RelationshipLedger.EventStore;

public sealed partial class EventStore
{
    private const string AppendSql =
        "select conflict, stream_version, recorded_at, tx_id, seq_ids, hashes "
        + "from ledger.append_events($1, $2, $3, $4, $5, $6, $7, $8)";

    // The same append for one event, with scalars instead of one-element arrays: the most frequent case.
    private const string AppendOneSql =
        "select conflict, stream_version, recorded_at, tx_id, seq_id, hash "
        + "from ledger.append_event($1, $2, $3, $4, $5, $6, $7, $8)";

    /// <summary>
    /// Appends <paramref name="events"/> to <paramref name="streamId"/> atomically, in one round trip
    /// (plus the inline projections' statements when there are any). Returns once committed.
    /// </summary>
    /// <exception cref="ConcurrencyConflictException">The stream was not at <paramref name="expected"/>.</exception>
    /// <exception cref="DuplicateEventIdException">An event id is already in the log.</exception>
    public async Task<AppendResult> AppendAsync(
        string streamId,
        ExpectedVersion expected,
        IReadOnlyList<EventToAppend> events,
        string? streamType = null,
        CancellationToken cancellationToken = default
    )
    {
        ValidateStreamId(streamId);
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
            throw new ArgumentException("An append needs at least one event.", nameof(events));
        streamType ??= options.DefaultStreamType;

        var batch = SerializeBatch(events);
        await ProtectAsync(streamId, batch, cancellationToken);
        if (PlanInlineProjections(streamId, streamType, expected, batch, events) is { } planned)
            return await AppendPlannedAsync(streamId, streamType, expected, batch, planned, cancellationToken);

        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction =
            options.InlineProjections.Count > 0 ? await connection.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var result = await ExecuteAppendAsync(connection, streamId, streamType, expected, batch, cancellationToken);
            if (transaction is not null)
            {
                await RunInlineProjectionsAsync(connection, transaction, streamType, result, events, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            return result;
        }
        catch (PostgresException exception) when (AppendFailure(exception, streamId, expected) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>
    /// What a database error says about this append: a lost race or a repeated event id. Only the log's
    /// own keys say something about it; an inline projection's unique violation on its own table is that
    /// projection's error and is not retried as a conflict. Null for every other error.
    /// </summary>
    private static Exception? AppendFailure(PostgresException exception, string streamId, ExpectedVersion expected)
    {
        if (exception.SqlState == ConflictSqlState)
            return new ConcurrencyConflictException(streamId, expected, ActualVersionOf(exception));
        if (
            exception.SqlState != PostgresErrorCodes.UniqueViolation
            || exception.SchemaName != "ledger"
            || exception.TableName is not ("events" or "streams")
        )
            return null;
        return exception.ConstraintName == "events_event_id_key"
            ? new DuplicateEventIdException(
                $"An event in this append to '{streamId}' has an event id that is already in the log.",
                exception
            )
            : new ConcurrencyConflictException(streamId, expected, actualVersion: null);
    }

    /// <summary>
    /// An append's events serialized: <see cref="Data"/> is what is stored (protected fields encrypted,
    /// <see cref="ProtectAsync"/>), <see cref="Revealed"/> what the appended events read as.
    /// </summary>
    private sealed record SerializedBatch(
        Guid[] EventIds,
        string[] Types,
        string[] Data,
        string[] Metadata,
        DateTime?[] OccurredAt
    )
    {
        public string[] Revealed { get; set; } = Data;
    }

    private SerializedBatch SerializeBatch(IReadOnlyList<EventToAppend> events)
    {
        var batch = new SerializedBatch(
            new Guid[events.Count],
            new string[events.Count],
            new string[events.Count],
            new string[events.Count],
            new DateTime?[events.Count]
        );
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            batch.EventIds[i] = e.EventId ?? Guid.CreateVersion7();
            (batch.Types[i], batch.Data[i]) = Serializer.Serialize(e.Data);
            batch.Metadata[i] = Serializer.SerializeMetadata(e.Metadata);
            batch.OccurredAt[i] = e.OccurredAt is { } occurredAt ? ToMicroseconds(occurredAt.UtcDateTime) : null;
        }
        return batch;
    }

    /// <summary>
    /// Truncates to whole microseconds, PostgreSQL's resolution, so the instant returned by the
    /// append is exactly the instant stored (PostgreSQL would otherwise round the extra ticks).
    /// </summary>
    private static DateTime ToMicroseconds(DateTime utc) =>
        new(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMicrosecond), DateTimeKind.Utc);

    private static async Task<AppendResult> ExecuteAppendAsync(
        NpgsqlConnection connection,
        string streamId,
        string streamType,
        ExpectedVersion expected,
        SerializedBatch batch,
        CancellationToken cancellationToken
    )
    {
        var single = batch.EventIds.Length == 1;
        await using var command = new NpgsqlCommand(single ? AppendOneSql : AppendSql, connection);
        command.Parameters.AddRange(AppendParameters(streamId, streamType, expected, batch));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var streamVersion = reader.GetInt64(1);
        if (reader.GetBoolean(0))
            throw new ConcurrencyConflictException(streamId, expected, streamVersion);
        return ReadAppended(reader, firstColumn: 1, streamId, batch);
    }

    /// <summary>
    /// The appended events from a row of <c>stream_version, recorded_at, tx_id, seq_id(s), hash(es)</c>
    /// starting at <paramref name="firstColumn"/>: what the database assigned, beside what the caller gave.
    /// </summary>
    private static AppendResult ReadAppended(
        NpgsqlDataReader reader,
        int firstColumn,
        string streamId,
        SerializedBatch batch
    )
    {
        var single = batch.EventIds.Length == 1;
        var streamVersion = reader.GetInt64(firstColumn);
        var recordedAt = AsUtc(reader.GetDateTime(firstColumn + 1));
        var transactionId = reader.GetFieldValue<ulong>(firstColumn + 2);
        var sequenceIds = single ? [reader.GetInt64(firstColumn + 3)] : reader.GetFieldValue<long[]>(firstColumn + 3);
        var hashes = single
            ? [reader.GetFieldValue<byte[]>(firstColumn + 4)]
            : reader.GetFieldValue<byte[][]>(firstColumn + 4);
        var firstVersion = streamVersion - batch.EventIds.Length + 1;
        var recorded = new RecordedEvent[batch.EventIds.Length];
        for (var i = 0; i < recorded.Length; i++)
        {
            recorded[i] = new RecordedEvent(
                new GlobalPosition(transactionId, sequenceIds[i]),
                batch.EventIds[i],
                streamId,
                firstVersion + i,
                batch.Types[i],
                batch.Revealed[i],
                batch.Metadata[i],
                batch.OccurredAt[i] is { } occurredAt ? AsUtc(occurredAt) : recordedAt,
                recordedAt,
                hashes[i]
            );
        }
        return new AppendResult(streamId, streamVersion, recorded);
    }

    /// <summary>The eight parameters of every append function: scalars for one event, arrays for several.</summary>
    private static NpgsqlParameter[] AppendParameters(
        string streamId,
        string streamType,
        ExpectedVersion expected,
        SerializedBatch batch
    )
    {
        var head = new NpgsqlParameter[]
        {
            new() { Value = streamId, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = streamType, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = (object?)expected.Value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint },
        };
        NpgsqlParameter[] events =
            batch.EventIds.Length == 1
                ?
                [
                    new() { Value = batch.EventIds[0], NpgsqlDbType = NpgsqlDbType.Uuid },
                    new() { Value = batch.Types[0], NpgsqlDbType = NpgsqlDbType.Text },
                    new() { Value = batch.Data[0], NpgsqlDbType = NpgsqlDbType.Jsonb },
                    new() { Value = batch.Metadata[0], NpgsqlDbType = NpgsqlDbType.Jsonb },
                    new()
                    {
                        Value = (object?)batch.OccurredAt[0] ?? DBNull.Value,
                        NpgsqlDbType = NpgsqlDbType.TimestampTz,
                    },
                ]
                :
                [
                    new() { Value = batch.EventIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid },
                    new() { Value = batch.Types, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                    new() { Value = batch.Data, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb },
                    new() { Value = batch.Metadata, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb },
                    new() { Value = batch.OccurredAt, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz },
                ];
        return [.. head, .. events];
    }

    private async Task RunInlineProjectionsAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string streamType,
        AppendResult result,
        IReadOnlyList<EventToAppend> events,
        CancellationToken cancellationToken
    )
    {
        // The payloads are the caller's own objects; only what the database assigned comes from the result.
        var envelopes = result
            .Events.Select((recorded, i) => new EventEnvelope(recorded, events[i].Data, events[i].Metadata))
            .ToArray();
        var context = new InlineProjectionContext(
            connection,
            transaction,
            result.StreamId,
            streamType,
            result.StreamVersion,
            envelopes
        );
        foreach (var projection in options.InlineProjections)
            await projection.ApplyAsync(context, cancellationToken);
    }
}
