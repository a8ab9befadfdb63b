using RelationshipLedger.EventStore.Serialization;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>
/// A raw writer's rows: purchases to streams only this writer uses, in turn, numbered by version as
/// the store numbers them, so the unique (stream_id, version) index sees the same keys. Not thread-safe.
/// </summary>
internal sealed class RawStreams(EventSerializer serializer, PurchaseEvents events, string streamPrefix)
{
    private readonly long[] _versions = new long[BenchStreams.PerWriter];
    private int _batches;

    public RawRow[] NextBatch(int size)
    {
        var stream = _batches++ % _versions.Length;
        var streamId = BenchStreams.Id(streamPrefix, stream);
        var rows = new RawRow[size];
        for (var i = 0; i < size; i++)
            rows[i] = RawRow.From(serializer, events.Next(), streamId, ++_versions[stream]);
        return rows;
    }
}
