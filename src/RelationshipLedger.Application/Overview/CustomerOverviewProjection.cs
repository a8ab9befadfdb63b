using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Customers.Caching;
using RelationshipLedger.Application.Customers.Snapshots;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.EventStore.Projections;
using RelationshipLedger.EventStore.Serialization;

namespace RelationshipLedger.Application.Overview;

/// <summary>
/// The customer overview, kept inline: in the append's transaction it evolves the head state with
/// the new events, writes the overview row (real columns for portfolio filters and the document)
/// and, at every <see cref="StateSnapshot.Interval"/> versions, a snapshot for time travel. The head
/// state comes from <paramref name="cache"/> when the appending process holds it (a command handler
/// always does), else from the latest snapshot and the events after it.
/// </summary>
public sealed class CustomerOverviewProjection(
    LifecycleRules rules,
    EventSerializer serializer,
    CustomerStateCache cache
) : IPlannedInlineProjection
{
    /// <summary>
    /// The overview's statements without reading anything, when this process holds the head state the
    /// append continues (a command handler after its first command on the customer) with its stage mark:
    /// the summary is evaluated at <see cref="PlannedAppend.PlannedAt"/>, which the row records as its
    /// <c>updated_at</c> and the mark as its instant. Null — read first, in a transaction — otherwise.
    /// </summary>
    public IReadOnlyList<NpgsqlBatchCommand>? Plan(PlannedAppend append)
    {
        ArgumentNullException.ThrowIfNull(append);
        if (append.StreamType != CustomerId.StreamType)
            return [];
        var headVersion = append.Events[0].Version - 1;
        var head =
            headVersion == 0 ? new LoadedCustomer(CustomerState.Initial, 0)
            : cache.Head(append.StreamId) is { Stage: not null } cached && cached.Version == headVersion ? cached
            : null;
        if (head is null || append.Events.Any(e => e.OccurredAt is null))
            return null;

        var commands = new List<NpgsqlBatchCommand>();
        var state = head.State;
        foreach (var planned in append.Events)
        {
            var moment = new EventMoment(planned.Version, planned.OccurredAt!.Value);
            state = CustomerDecider.Evolve(state, (CustomerEvent)planned.Data, moment);
            if (planned.Version % StateSnapshot.Interval == 0)
                commands.Add(Batched(SnapshotSql, SnapshotParameters(append.StreamId, state, head.Stage)));
        }
        var summary = CustomerSummary.Of(state, append.PlannedAt, rules, head.Stage);
        commands.Add(Batched(OverviewSql, OverviewParameters(append.StreamId, state, summary, append.PlannedAt)));
        var last = append.Events[^1];
        cache.RecordAppendedHead(
            last.EventId,
            new LoadedCustomer(
                state,
                last.Version,
                new StageMark(last.Version, append.PlannedAt, summary.LifecycleStage, summary.StageSince)
            )
        );
        return commands;
    }

    public async Task ApplyAsync(InlineProjectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.StreamType != CustomerId.StreamType)
            return;
        var firstNewVersion = context.Events[0].Event.Version;
        var head = await HeadStateAsync(context, firstNewVersion - 1, cancellationToken);
        var state = head.State;
        foreach (var envelope in context.Events)
        {
            var moment = new EventMoment(envelope.Event.Version, envelope.Event.OccurredAt);
            state = CustomerDecider.Evolve(state, (CustomerEvent)envelope.Data, moment);
            if (envelope.Event.Version % StateSnapshot.Interval == 0)
                await WriteSnapshotAsync(context, state, head.Stage, cancellationToken);
        }
        var previousStage = head.Stage ?? await ReadStageMarkAsync(context, cancellationToken);
        var last = context.Events[^1].Event;
        var summary = CustomerSummary.Of(state, last.RecordedAt, rules, previousStage);
        await WriteOverviewAsync(context, state, summary, last.RecordedAt, cancellationToken);
        cache.RecordAppendedHead(
            last.EventId,
            new LoadedCustomer(
                state,
                last.Version,
                new StageMark(last.Version, last.RecordedAt, summary.LifecycleStage, summary.StageSince)
            )
        );
    }

    private async Task<StageMark?> ReadStageMarkAsync(
        InlineProjectionContext context,
        CancellationToken cancellationToken
    )
    {
        await using var command = context.CreateCommand("");
        return await OverviewStageMark.ReadAsync(command, context.StreamId, rules, cancellationToken);
    }

    /// <summary>The state at <paramref name="version"/>: the cached head, or the latest snapshot with the events after it.</summary>
    private async Task<LoadedCustomer> HeadStateAsync(
        InlineProjectionContext context,
        long version,
        CancellationToken cancellationToken
    )
    {
        if (version == 0)
            return new LoadedCustomer(CustomerState.Initial, 0);
        if (cache.Head(context.StreamId) is { } head && head.Version == version)
            return head;
        var start = await SnapshotAtOrBeforeAsync(context, version, cancellationToken);
        return new LoadedCustomer(await FoldStoredEventsAsync(context, start, version, cancellationToken), version);
    }

    private async Task<LoadedCustomer> SnapshotAtOrBeforeAsync(
        InlineProjectionContext context,
        long version,
        CancellationToken cancellationToken
    )
    {
        await using var command = context.CreateCommand(
            $"select {StateSnapshot.Columns} from ledger.customer_snapshots "
                + "where customer_id = $1 and version <= $2 and state_format = any($3) order by version desc limit 1"
        );
        command.Parameters.Add(new() { Value = context.StreamId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = version, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(
            new() { Value = StateSnapshot.ReadableFormats, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text }
        );
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return new LoadedCustomer(CustomerState.Initial, 0);
        var snapshotVersion = reader.GetInt64(0);
        var format = reader.GetString(1);
        var snapshot = cache.Snapshot(context.StreamId, snapshotVersion, format) ?? StateSnapshot.Read(reader);
        return new LoadedCustomer(snapshot.State, snapshotVersion);
    }

    /// <summary>Folds the stream's stored events after <paramref name="start"/> up to <paramref name="version"/> inside the append's transaction.</summary>
    private async Task<CustomerState> FoldStoredEventsAsync(
        InlineProjectionContext context,
        LoadedCustomer start,
        long version,
        CancellationToken cancellationToken
    )
    {
        await using var command = context.CreateCommand(
            $"select e.type, e.data, e.version, e.occurred_at, {EventStore.EventStore.StreamKeyColumns} "
                + $"from ledger.events e {EventStore.EventStore.StreamKeyJoin} "
                + "where e.stream_id = $1 and e.version > $2 and e.version <= $3 order by e.version"
        );
        command.Parameters.Add(new() { Value = context.StreamId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = start.Version, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = version, NpgsqlDbType = NpgsqlDbType.Bigint });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var state = start.State;
        while (await reader.ReadAsync(cancellationToken))
        {
            var type = reader.GetString(0);
            var json = serializer.Reveal(
                context.StreamId,
                type,
                reader.GetString(1),
                EventStore.EventStore.StreamKeyAt(reader, 4)
            );
            var @event = (CustomerEvent)serializer.Deserialize(type, json);
            var occurredAt = new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(3), DateTimeKind.Utc));
            state = CustomerDecider.Evolve(state, @event, new EventMoment(reader.GetInt64(2), occurredAt));
        }
        return state;
    }

    private const string OverviewSql = """
        insert into ledger.customer_overview as o
            (customer_id, version, name, kind, tier, lifecycle_stage, stage_since, owner_id, care_tier,
             updated_at, rules_version, summary)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
        on conflict (customer_id) do update set
            version = excluded.version, name = excluded.name, kind = excluded.kind, tier = excluded.tier,
            lifecycle_stage = excluded.lifecycle_stage, stage_since = excluded.stage_since,
            owner_id = excluded.owner_id, care_tier = excluded.care_tier, updated_at = excluded.updated_at,
            rules_version = excluded.rules_version, summary = excluded.summary
        """;

    // max_recorded_at is the recorded_at of the snapshot's last event, read from its row (recorded_at
    // never decreases within a stream): a planned append does not know it when it sends this statement,
    // and a knownAt read must never start from a snapshot holding an event recorded after its instant.
    private const string SnapshotSql =
        "insert into ledger.customer_snapshots (customer_id, version, max_occurred_at, max_recorded_at, state_format, state_bytes) "
        + "select $1, $2, $3, e.recorded_at, $4, $5 from ledger.events e where e.stream_id = $1 and e.version = $2 "
        + "on conflict do nothing";

    private static NpgsqlBatchCommand Batched(string sql, NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static async Task WriteOverviewAsync(
        InlineProjectionContext context,
        CustomerState state,
        CustomerSummary summary,
        DateTimeOffset recordedAt,
        CancellationToken cancellationToken
    )
    {
        await using var command = context.CreateCommand(OverviewSql);
        command.Parameters.AddRange(OverviewParameters(context.StreamId, state, summary, recordedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The overview row of <paramref name="state"/>, its summary evaluated at <paramref name="evaluatedAt"/> (the row's <c>updated_at</c>).</summary>
    private static NpgsqlParameter[] OverviewParameters(
        string customerId,
        CustomerState state,
        CustomerSummary summary,
        DateTimeOffset evaluatedAt
    )
    {
        var overview = CustomerOverview.From(customerId, summary, evaluatedAt);
        return
        [
            new() { Value = customerId, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = state.Version, NpgsqlDbType = NpgsqlDbType.Bigint },
            new() { Value = summary.Name, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = summary.Kind.ToString(), NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = summary.Tier.ToString(), NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = summary.LifecycleStage.ToString(), NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = summary.StageSince.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz },
            new() { Value = (object?)summary.OwnerId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = (object?)summary.Care?.Tier ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer },
            new() { Value = evaluatedAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz },
            new() { Value = summary.RulesVersion, NpgsqlDbType = NpgsqlDbType.Text },
            new()
            {
                Value = JsonSerializer.Serialize(overview, ReadModelJson.Options),
                NpgsqlDbType = NpgsqlDbType.Jsonb,
            },
        ];
    }

    private async Task WriteSnapshotAsync(
        InlineProjectionContext context,
        CustomerState state,
        StageMark? headStage,
        CancellationToken cancellationToken
    )
    {
        await using var command = context.CreateCommand(SnapshotSql);
        command.Parameters.AddRange(SnapshotParameters(context.StreamId, state, headStage));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// A snapshot of <paramref name="state"/>, with the stage at its latest business instant for time travel
    /// to continue from: continued from <paramref name="headStage"/>, the mark of the head the append
    /// started from, when no stage fact added since lies at or before the mark's instant and the instant
    /// is not after the snapshot's; otherwise evaluated over the whole history
    /// (<see cref="StageHistory.MarkAt(CustomerState, DateTimeOffset, LifecycleRules?, StageMark?)"/>).
    /// </summary>
    private NpgsqlParameter[] SnapshotParameters(string customerId, CustomerState state, StageMark? headStage) =>
        [
            new() { Value = customerId, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = state.Version, NpgsqlDbType = NpgsqlDbType.Bigint },
            new() { Value = state.LatestOccurredAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz },
            new() { Value = StateSnapshot.Format, NpgsqlDbType = NpgsqlDbType.Text },
            new()
            {
                Value = StateSnapshot.Encode(
                    state,
                    StageHistory.MarkAt(state, state.LatestOccurredAt, rules, headStage),
                    rules.Version
                ),
                NpgsqlDbType = NpgsqlDbType.Bytea,
            },
        ];
}
