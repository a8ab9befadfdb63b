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
) : IInlineProjection
{
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
                await WriteSnapshotAsync(context, state, envelope.Event.RecordedAt, cancellationToken);
        }
        var previousStage = head.Stage ?? await ReadStageMarkAsync(context, cancellationToken);
        var last = context.Events[^1].Event;
        var summary = CustomerSummary.Of(state, last.RecordedAt, rules, previousStage);
        await WriteOverviewAsync(context, state, summary, last.RecordedAt, cancellationToken);
        cache.RecordMark(
            last.EventId,
            last.Version,
            new StageMark(last.Version, last.RecordedAt, summary.LifecycleStage, summary.StageSince)
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
            "select version, state from ledger.customer_snapshots "
                + "where customer_id = $1 and version <= $2 and state_format = $3 order by version desc limit 1"
        );
        command.Parameters.Add(new() { Value = context.StreamId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = version, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = StateSnapshot.Format, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return new LoadedCustomer(CustomerState.Initial, 0);
        var snapshotVersion = reader.GetInt64(0);
        var state =
            cache.Snapshot(context.StreamId, snapshotVersion, StateSnapshot.Format)
            ?? StateSnapshot.Deserialize(reader.GetString(1));
        return new LoadedCustomer(state, snapshotVersion);
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
            "select type, data, version, occurred_at from ledger.events "
                + "where stream_id = $1 and version > $2 and version <= $3 order by version"
        );
        command.Parameters.Add(new() { Value = context.StreamId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = start.Version, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = version, NpgsqlDbType = NpgsqlDbType.Bigint });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var state = start.State;
        while (await reader.ReadAsync(cancellationToken))
        {
            var @event = (CustomerEvent)serializer.Deserialize(reader.GetString(0), reader.GetString(1));
            var occurredAt = new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(3), DateTimeKind.Utc));
            state = CustomerDecider.Evolve(state, @event, new EventMoment(reader.GetInt64(2), occurredAt));
        }
        return state;
    }

    private static async Task WriteOverviewAsync(
        InlineProjectionContext context,
        CustomerState state,
        CustomerSummary summary,
        DateTimeOffset recordedAt,
        CancellationToken cancellationToken
    )
    {
        var overview = CustomerOverview.From(context.StreamId, summary, recordedAt);
        await using var command = context.CreateCommand(
            """
            insert into ledger.customer_overview as o
                (customer_id, version, name, kind, tier, lifecycle_stage, stage_since, owner_id, care_tier,
                 updated_at, rules_version, summary)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            on conflict (customer_id) do update set
                version = excluded.version, name = excluded.name, kind = excluded.kind, tier = excluded.tier,
                lifecycle_stage = excluded.lifecycle_stage, stage_since = excluded.stage_since,
                owner_id = excluded.owner_id, care_tier = excluded.care_tier, updated_at = excluded.updated_at,
                rules_version = excluded.rules_version, summary = excluded.summary
            """
        );
        var parameters = command.Parameters;
        parameters.Add(new() { Value = context.StreamId, NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(new() { Value = state.Version, NpgsqlDbType = NpgsqlDbType.Bigint });
        parameters.Add(new() { Value = summary.Name, NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(new() { Value = summary.Kind.ToString(), NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(new() { Value = summary.Tier.ToString(), NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(new() { Value = summary.LifecycleStage.ToString(), NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(new() { Value = summary.StageSince.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        parameters.Add(new() { Value = (object?)summary.OwnerId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(
            new() { Value = (object?)summary.Care?.Tier ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer }
        );
        parameters.Add(new() { Value = recordedAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        parameters.Add(new() { Value = summary.RulesVersion, NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(
            new()
            {
                Value = JsonSerializer.Serialize(overview, ReadModelJson.Options),
                NpgsqlDbType = NpgsqlDbType.Jsonb,
            }
        );
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task WriteSnapshotAsync(
        InlineProjectionContext context,
        CustomerState state,
        DateTimeOffset recordedAt,
        CancellationToken cancellationToken
    )
    {
        await using var command = context.CreateCommand(
            "insert into ledger.customer_snapshots (customer_id, version, max_occurred_at, max_recorded_at, state_format, state) "
                + "values ($1, $2, $3, $4, $5, $6) on conflict do nothing"
        );
        command.Parameters.Add(new() { Value = context.StreamId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = state.Version, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(
            new() { Value = state.LatestOccurredAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz }
        );
        command.Parameters.Add(new() { Value = recordedAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = StateSnapshot.Format, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = StateSnapshot.Serialize(state), NpgsqlDbType = NpgsqlDbType.Jsonb });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
