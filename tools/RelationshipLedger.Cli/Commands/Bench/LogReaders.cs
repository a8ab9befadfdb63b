using System.Diagnostics;
using Npgsql;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>
/// Reads the whole event log once, either through the store (page by page, in gap-free
/// (tx_id, seq_id) order) or as one raw sequential query in seq_id order; both read every column
/// into .NET values, including the data and metadata text.
/// </summary>
internal static class LogReaders
{
    private const string RawSql =
        "select seq_id, tx_id, event_id, stream_id, version, type, data, metadata, occurred_at, recorded_at, hash "
        + "from ledger.events order by seq_id";

    public static async Task<Throughput> ReadThroughStoreAsync(
        EventStore.EventStore store,
        int pageSize,
        long? limit,
        CancellationToken cancellationToken
    )
    {
        var clock = Stopwatch.StartNew();
        long events = 0;
        long characters = 0;
        await foreach (
            var recorded in store.ReadAllForwardAsync(
                GlobalPosition.Start,
                pageSize,
                cancellationToken: cancellationToken
            )
        )
        {
            characters += recorded.Data.Length + recorded.Metadata.Length;
            if (++events == limit)
                break;
        }
        return Checked(new Throughput(events, clock.Elapsed), characters);
    }

    public static async Task<Throughput> ReadRawAsync(
        NpgsqlDataSource dataSource,
        long? limit,
        CancellationToken cancellationToken
    )
    {
        var clock = Stopwatch.StartNew();
        long rows = 0;
        long characters = 0;
        await using var command = dataSource.CreateCommand(limit is null ? RawSql : RawSql + " limit $1");
        if (limit is not null)
            command.Parameters.Add(new() { Value = limit.Value });
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = (
                    SeqId: reader.GetInt64(0),
                    TxId: reader.GetFieldValue<ulong>(1),
                    EventId: reader.GetGuid(2),
                    StreamId: reader.GetString(3),
                    Version: reader.GetInt64(4),
                    Type: reader.GetString(5),
                    Data: reader.GetString(6),
                    Metadata: reader.GetString(7),
                    OccurredAt: reader.GetDateTime(8),
                    RecordedAt: reader.GetDateTime(9),
                    Hash: reader.GetFieldValue<byte[]>(10)
                );
                characters += row.Data.Length + row.Metadata.Length;
                rows++;
            }
        }
        return Checked(new Throughput(rows, clock.Elapsed), characters);
    }

    // Uses what was read, so no part of the reading can be optimized away, and proves the rows were not empty.
    private static Throughput Checked(Throughput throughput, long characters) =>
        throughput.Count == 0 || characters > 0
            ? throughput
            : throw new InvalidOperationException("The log reads returned events without payloads.");
}
