using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.Application.Customers.Caching;
using RelationshipLedger.Application.Customers.Snapshots;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Application.Customers;

/// <summary>
/// A customer's folded state and the version of the last event in it (0: no stream), with the last
/// stage evaluation known for this stream (the overview's, when this process wrote or read it) for
/// the next evaluation to continue from.
/// </summary>
public sealed record LoadedCustomer(CustomerState State, long Version, StageMark? Stage = null);

/// <summary>
/// Folds a customer's stream, starting from the newest usable state: for the present the head this
/// process last saw (else the latest snapshot), for time travel a periodic snapshot lying wholly
/// inside the requested past. States come from <see cref="Cache"/> when they are there.
/// </summary>
public sealed class CustomerStateLoader(EventStore.EventStore store, CustomerStateCache cache)
{
    public CustomerStateCache Cache => cache;

    public NpgsqlDataSource DataSource => store.DataSource;

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
        return folded.EventCount == 0 ? start : new LoadedCustomer(folded.State, folded.State.Version, start.Stage);
    }

    /// <summary>The newest snapshot lying wholly inside <paramref name="travel"/>: its version from the table, its state from the cache when there.</summary>
    private async Task<LoadedCustomer> SnapshotWithinAsync(
        string customerId,
        TimeTravel travel,
        CancellationToken cancellationToken
    )
    {
        await using var command = store.DataSource.CreateCommand(
            "select version from ledger.customer_snapshots "
                + "where customer_id = $1 and state_format = $2 "
                + "and ($3::bigint is null or version <= $3) "
                + "and ($4::timestamptz is null or max_occurred_at <= $4) "
                + "and ($5::timestamptz is null or max_recorded_at <= $5) "
                + "order by version desc limit 1"
        );
        command.Parameters.Add(new() { Value = customerId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = StateSnapshot.Format, NpgsqlDbType = NpgsqlDbType.Text });
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
        if (await command.ExecuteScalarAsync(cancellationToken) is not long version)
            return new LoadedCustomer(CustomerState.Initial, 0);
        var state =
            cache.Snapshot(customerId, version, StateSnapshot.Format)
            ?? await ReadSnapshotAsync(customerId, version, cancellationToken);
        // A snapshot removed in between (a rebuild of the read models) only means folding from the start.
        return state is null ? new LoadedCustomer(CustomerState.Initial, 0) : new LoadedCustomer(state, version);
    }

    private async Task<CustomerState?> ReadSnapshotAsync(
        string customerId,
        long version,
        CancellationToken cancellationToken
    )
    {
        await using var command = store.DataSource.CreateCommand(
            "select state from ledger.customer_snapshots where customer_id = $1 and version = $2 and state_format = $3"
        );
        command.Parameters.Add(new() { Value = customerId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = version, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = StateSnapshot.Format, NpgsqlDbType = NpgsqlDbType.Text });
        if (await command.ExecuteScalarAsync(cancellationToken) is not string json)
            return null;
        var state = StateSnapshot.Deserialize(json);
        cache.AddSnapshot(customerId, version, StateSnapshot.Format, state);
        return state;
    }
}
