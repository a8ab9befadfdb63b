using RelationshipLedger.EventStore;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>
/// Appends batches of purchases through the event store to streams only this writer uses, in turn,
/// each time with the exact version it expects, as a command handler that has just loaded the stream would.
/// </summary>
internal sealed class StoreAppender(
    EventStore.EventStore store,
    PurchaseEvents events,
    string streamPrefix,
    int batchSize
) : IBenchWriter
{
    private readonly long[] _versions = new long[BenchStreams.PerWriter];
    private int _appends;

    public async Task<int> WriteOnceAsync(CancellationToken cancellationToken)
    {
        var stream = _appends++ % _versions.Length;
        await store.AppendAsync(
            BenchStreams.Id(streamPrefix, stream),
            ExpectedVersion.Exactly(_versions[stream]),
            events.NextBatch(batchSize),
            BenchStreams.Type,
            cancellationToken
        );
        _versions[stream] += batchSize;
        return batchSize;
    }
}
