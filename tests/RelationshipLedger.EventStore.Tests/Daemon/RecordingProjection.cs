using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.EventStore.Projections;

namespace RelationshipLedger.EventStore.Tests.Daemon;

/// <summary>
/// A test projection that records every event it is given, in the order given, in a table of its
/// own without any unique key, so an event applied twice shows as two rows. It can be told to fail
/// on some events, as a bug in a projection would.
/// </summary>
public sealed class RecordingProjection(string name, IReadOnlyCollection<string>? eventTypes = null) : IAsyncProjection
{
    private volatile Func<RecordedEvent, Exception?> _failure = _ => null;

    public string Name { get; } = name;

    public IReadOnlyCollection<string>? EventTypes { get; } = eventTypes;

    public string Table => $"{Name}_applied";

    public TimeSpan? MinimumBatchInterval { get; init; }

    public IReadOnlyList<string> Tables => [Table];

    /// <summary>From now on, throws what <paramref name="failure"/> returns for an event (null: apply it).</summary>
    public void FailWith(Func<RecordedEvent, Exception?> failure) => _failure = failure;

    public async Task CreateTableAsync(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand(
            $"create table ledger.{Table} (id bigint generated always as identity primary key, "
                + "position_tx xid8 not null, position_seq bigint not null, event_id uuid not null)"
        );
        await command.ExecuteNonQueryAsync();
    }

    public async Task ApplyAsync(
        IReadOnlyList<RecordedEvent> events,
        AsyncProjectionContext context,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var recorded in events)
            if (_failure(recorded) is { } failure)
                throw failure;
        await using var command = context.CreateCommand(
            $"insert into {context.Table(Table)} (position_tx, position_seq, event_id) "
                + "select * from unnest($1::xid8[], $2::bigint[], $3::uuid[])"
        );
        command.Parameters.Add(
            new()
            {
                Value = events.Select(e => e.Position.TransactionId).ToArray(),
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Xid8,
            }
        );
        command.Parameters.Add(
            new()
            {
                Value = events.Select(e => e.Position.SequenceId).ToArray(),
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint,
            }
        );
        command.Parameters.Add(
            new()
            {
                Value = events.Select(e => e.EventId).ToArray(),
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid,
            }
        );
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The event ids it has applied, in the order it applied them.</summary>
    public async Task<IReadOnlyList<Guid>> AppliedAsync(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand($"select event_id from ledger.{Table} order by id");
        await using var reader = await command.ExecuteReaderAsync();
        var applied = new List<Guid>();
        while (await reader.ReadAsync())
            applied.Add(reader.GetGuid(0));
        return applied;
    }
}
