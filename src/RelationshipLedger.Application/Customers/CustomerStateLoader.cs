using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.Application.Customers.Caching;
using RelationshipLedger.Application.Customers.Snapshots;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Serialization;

namespace RelationshipLedger.Application.Customers;

/// <summary>
/// A customer's folded state and the version of the last event in it (0: no stream), with the last
/// stage evaluation known for this stream (the overview's, when this process wrote or read it) for
/// the next evaluation to continue from.
/// </summary>
public sealed record LoadedCustomer(CustomerState State, long Version, StageMark? Stage = null)
{
    /// <summary>
    /// The stage stored with the snapshot this state was folded from (at the snapshot's latest business
    /// instant), with the rules version that evaluated it: a reader under the same rules may continue from it.
    /// </summary>
    public SnapshotStage? SnapshotStage { get; init; }
}

/// <summary>A snapshot's stage mark and the lifecycle rules version it was evaluated under.</summary>
public sealed record SnapshotStage(StageMark Mark, string RulesVersion);

/// <summary>
/// Folds a customer's stream, starting from the newest usable state: for the present the head this
/// process last saw (else the latest snapshot), for time travel a periodic snapshot lying wholly
/// inside the requested past. States come from <see cref="Cache"/> when they are there.
/// </summary>
public sealed class CustomerStateLoader(EventStore.EventStore store, CustomerStateCache cache)
{
    public CustomerStateCache Cache => cache;

    public NpgsqlDataSource DataSource => store.DataSource;

    public EventSerializer Serializer => store.Serializer;

    /// <summary>The current state: the cached head (or the latest snapshot) and every event after it.</summary>
    public async Task<LoadedCustomer> LoadCurrentAsync(string customerId, CancellationToken cancellationToken = default)
    {
        var start = cache.Head(customerId) ?? await SnapshotWithinAsync(customerId, TimeTravel.Now, cancellationToken);
        var options = new StreamReadOptions { FromVersion = start.Version + 1 };
        var current = await FoldAsync(customerId, start, options, cancellationToken);
        cache.OfferHead(customerId, current);
        return current;
    }

    /// <summary>The state as the question in <paramref name="travel"/> sees it.</summary>
    public async Task<LoadedCustomer> LoadAsync(
        string customerId,
        TimeTravel travel,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(travel);
        if (travel.IsNow)
            return await LoadCurrentAsync(customerId, cancellationToken);
        var start = await SnapshotWithinAsync(customerId, travel, cancellationToken);
        var options = new StreamReadOptions
        {
            FromVersion = start.Version + 1,
            ToVersion = travel.Version,
            OccurredAtOrBefore = travel.AsOf,
            RecordedAtOrBefore = travel.KnownAt,
            Order = travel.AsOf is null ? StreamOrder.Version : StreamOrder.OccurredAt,
        };
        return await FoldAsync(customerId, start, options, cancellationToken);
    }

    /// <summary>Folds the whole stream from its first event, ignoring every snapshot.</summary>
    public Task<LoadedCustomer> LoadFromScratchAsync(
        string customerId,
        TimeTravel travel,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(travel);
        var options = new StreamReadOptions
        {
            ToVersion = travel.Version,
            OccurredAtOrBefore = travel.AsOf,
            RecordedAtOrBefore = travel.KnownAt,
            Order = travel.AsOf is null ? StreamOrder.Version : StreamOrder.OccurredAt,
        };
        return FoldAsync(customerId, new LoadedCustomer(CustomerState.Initial, 0), options, cancellationToken);
    }

    private async Task<LoadedCustomer> FoldAsync(
        string customerId,
        LoadedCustomer start,
        StreamReadOptions options,
        CancellationToken cancellationToken
    )
    {
        var folded = await store.AggregateAsync(
            customerId,
            start.State,
            static (state, envelope) =>
                CustomerDecider.Evolve(
                    state,
                    (CustomerEvent)envelope.Data,
                    new EventMoment(envelope.Event.Version, envelope.Event.OccurredAt)
                ),
            options,
            cancellationToken
        );
        // The mark stays usable after a fold forward: the rules check that the new facts came after it.
        return folded.EventCount == 0 ? start : start with { State = folded.State, Version = folded.State.Version };
    }

    /// <summary>
    /// The newest snapshot lying wholly inside <paramref name="travel"/>, in one query: its state from the
    /// cache when there (the row's state is then not decoded), else decoded and cached.
    /// </summary>
    private async Task<LoadedCustomer> SnapshotWithinAsync(
        string customerId,
        TimeTravel travel,
        CancellationToken cancellationToken
    )
    {
        await using var command = store.DataSource.CreateCommand(
            $"select {StateSnapshot.Columns} from ledger.customer_snapshots "
                + "where customer_id = $1 and state_format = any($2) "
                + "and ($3::bigint is null or version <= $3) "
                + "and ($4::timestamptz is null or max_occurred_at <= $4) "
                + "and ($5::timestamptz is null or max_recorded_at <= $5) "
                + "order by version desc limit 1"
        );
        command.Parameters.Add(new() { Value = customerId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(
            new() { Value = StateSnapshot.ReadableFormats, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text }
        );
        command.Parameters.Add(
            new() { Value = (object?)travel.Version ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint }
        );
        command.Parameters.Add(
            new() { Value = (object?)travel.AsOf?.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz }
        );
        command.Parameters.Add(
            new()
            {
                Value = (object?)travel.KnownAt?.UtcDateTime ?? DBNull.Value,
                NpgsqlDbType = NpgsqlDbType.TimestampTz,
            }
        );
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return new LoadedCustomer(CustomerState.Initial, 0);
        var version = reader.GetInt64(0);
        var format = reader.GetString(1);
        var snapshot = cache.Snapshot(customerId, version, format);
        if (snapshot is null)
        {
            snapshot = StateSnapshot.Read(reader);
            cache.AddSnapshot(customerId, version, format, snapshot);
        }
        return new LoadedCustomer(snapshot.State, version)
        {
            SnapshotStage = snapshot.Stage is { } stage ? new SnapshotStage(stage, snapshot.StageRulesVersion!) : null,
        };
    }
}
