using System.Collections.Concurrent;
using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.EventStore.Projections;

namespace RelationshipLedger.EventStore.Tests.Rebuilds;

/// <summary>
/// A deterministic test projection: a row per event (position, id, stream, type), keyed by position,
/// so an event applied twice fails and a rebuild yields exactly the live rows. It can be told to fail
/// on some events, as a projection in trouble would.
/// </summary>
public sealed class LogCopyProjection(string name) : IAsyncProjection
{
    private volatile Func<RecordedEvent, Exception?> _failure = _ => null;

    public string Name { get; } = name;

    public IReadOnlyCollection<string>? EventTypes => null;

    public string Table => $"{Name}_copy";

    public IReadOnlyList<string> Tables => [Table];

    /// <summary>The index by stream, which no write reads, when the test asks for it to be built after the bulk.</summary>
    public bool IndexByStreamAfterBulk { get; init; }

    public string IndexByStream => $"{Table}_by_stream";

    public IReadOnlyCollection<string> IndexesBuiltAfterBulk => IndexByStreamAfterBulk ? [IndexByStream] : [];

    /// <summary>It copies no payload: it may say it reads the protected fields of any types, or (by default) of all.</summary>
    public IReadOnlyCollection<string>? ReadsProtectedFieldsOf { get; init; }

    /// <summary>Every payload given to <see cref="ApplyAsync"/>, as it was given.</summary>
    public ConcurrentQueue<string> PayloadsApplied { get; } = new();

    public void FailWith(Func<RecordedEvent, Exception?> failure) => _failure = failure;

    public async Task CreateTableAsync(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand(
            $"create table ledger.{Table} (position_tx xid8 not null, position_seq bigint not null, "
                + "event_id uuid not null unique, stream_id text not null, type text not null, "
                + "primary key (position_tx, position_seq)); "
                + $"create index {IndexByStream} on ledger.{Table} (stream_id)"
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
        {
            if (_failure(recorded) is { } failure)
                throw failure;
            PayloadsApplied.Enqueue(recorded.Data);
        }
        await using var command = context.CreateCommand(
            $"insert into {context.Table(Table)} (position_tx, position_seq, event_id, stream_id, type) "
                + "select * from unnest($1::xid8[], $2::bigint[], $3::uuid[], $4::text[], $5::text[])"
        );
        command.Parameters.Add(Array(events.Select(e => e.Position.TransactionId).ToArray(), NpgsqlDbType.Xid8));
        command.Parameters.Add(Array(events.Select(e => e.Position.SequenceId).ToArray(), NpgsqlDbType.Bigint));
        command.Parameters.Add(Array(events.Select(e => e.EventId).ToArray(), NpgsqlDbType.Uuid));
        command.Parameters.Add(Array(events.Select(e => e.StreamId).ToArray(), NpgsqlDbType.Text));
        command.Parameters.Add(Array(events.Select(e => e.Type).ToArray(), NpgsqlDbType.Text));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The event ids in the live table, in global order.</summary>
    public async Task<IReadOnlyList<Guid>> EventIdsAsync(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand(
            $"select event_id from ledger.{Table} order by position_tx, position_seq"
        );
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync())
            ids.Add(reader.GetGuid(0));
        return ids;
    }

    private static NpgsqlParameter Array<T>(T[] values, NpgsqlDbType type) =>
        new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | type };
}
