using Npgsql;
using RelationshipLedger.EventStore.Projections;

namespace RelationshipLedger.EventStore;

public sealed partial class EventStore
{
    /// <summary>
    /// SQLSTATE of ledger.append_event(s)_or_raise (Schema/0005) when the expected version does not
    /// hold; the error's HINT is the stream's actual version.
    /// </summary>
    internal const string ConflictSqlState = "RL409";

    private const string AppendOneOrRaiseSql =
        "select stream_version, recorded_at, tx_id, seq_id, hash "
        + "from ledger.append_event_or_raise($1, $2, $3, $4, $5, $6, $7, $8)";

    private const string AppendOrRaiseSql =
        "select stream_version, recorded_at, tx_id, seq_ids, hashes "
        + "from ledger.append_events_or_raise($1, $2, $3, $4, $5, $6, $7, $8)";

    /// <summary>
    /// Every inline projection's statements for this append, or null when the append must take the
    /// transaction path: no inline projections (one autocommitted statement is already one round trip),
    /// an expected version that is not exact (the events' versions are then unknown before the append),
    /// or a projection that cannot plan (<see cref="IPlannedInlineProjection.Plan"/> returned null).
    /// </summary>
    private List<NpgsqlBatchCommand>? PlanInlineProjections(
        string streamId,
        string streamType,
        ExpectedVersion expected,
        SerializedBatch batch,
        IReadOnlyList<EventToAppend> events
    )
    {
        if (options.InlineProjections.Count == 0 || expected.Value is not { } version)
            return null;
        var plannedAt = new DateTimeOffset(ToMicroseconds(DateTime.UtcNow));
        var planned = new PlannedEvent[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            planned[i] = new PlannedEvent(
                batch.EventIds[i],
                version + i + 1,
                events[i].Data,
                events[i].Metadata,
                batch.OccurredAt[i] is { } occurredAt ? AsUtc(occurredAt) : null
            );
        }
        var append = new PlannedAppend(streamId, streamType, version + events.Count, planned, plannedAt);
        var commands = new List<NpgsqlBatchCommand>();
        foreach (var projection in options.InlineProjections)
        {
            if (projection is not IPlannedInlineProjection plannable || plannable.Plan(append) is not { } plan)
                return null;
            commands.AddRange(plan);
        }
        return commands;
    }

    /// <summary>
    /// The append and the projections' statements in one batch, sent without an explicit transaction:
    /// PostgreSQL runs the statements up to the batch's Sync as one implicit transaction, so an error
    /// in any of them — the append's conflict (raised, not returned), a duplicate event id, a
    /// projection's own constraint — rolls back all of them and skips the rest. One round trip, one commit.
    /// </summary>
    private async Task<AppendResult> AppendPlannedAsync(
        string streamId,
        string streamType,
        ExpectedVersion expected,
        SerializedBatch batch,
        List<NpgsqlBatchCommand> projectionCommands,
        CancellationToken cancellationToken
    )
    {
        var append = new NpgsqlBatchCommand(batch.EventIds.Length == 1 ? AppendOneOrRaiseSql : AppendOrRaiseSql);
        append.Parameters.AddRange(AppendParameters(streamId, streamType, expected, batch));
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var npgsqlBatch = new NpgsqlBatch(connection);
        npgsqlBatch.BatchCommands.Add(append);
        foreach (var command in projectionCommands)
            npgsqlBatch.BatchCommands.Add(command);
        try
        {
            await using var reader = await npgsqlBatch.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var result = ReadAppended(reader, firstColumn: 0, streamId, batch);
            // The projections' errors surface only as their results are reached: read to the end.
            while (await reader.NextResultAsync(cancellationToken)) { }
            return result;
        }
        catch (PostgresException exception) when (AppendFailure(exception, streamId, expected) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>The actual version a raised conflict carries in its HINT (null if it is missing).</summary>
    private static long? ActualVersionOf(PostgresException exception) =>
        long.TryParse(exception.Hint, System.Globalization.CultureInfo.InvariantCulture, out var version)
            ? version
            : null;
}
