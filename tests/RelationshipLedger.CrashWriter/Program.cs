// Appends forever to N streams, one writer per stream at exact expected versions, mixing
// single events and small batches, and acknowledges every committed append on stdout as
//     ack <streamId> <version> <eventId>...
// where <version> is the stream's version after the append and the event ids are in version
// order (so the last one has <version>). A line is printed and flushed only once AppendAsync
// has returned, i.e. after the commit. The crash test kills this process with SIGKILL at an
// arbitrary moment and checks every acknowledged event against the recovered database.
using System.Globalization;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Serialization;

if (
    args is not [var connectionString, var streamCountText]
    || !int.TryParse(streamCountText, CultureInfo.InvariantCulture, out var streamCount)
    || streamCount < 1
)
{
    await Console.Error.WriteLineAsync("usage: RelationshipLedger.CrashWriter <connection string> <number of streams>");
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
await using var dataSource = LedgerDatabase.CreateDataSource(connectionString);
var store = new EventStore(
    dataSource,
    new EventStoreOptions { Serializer = new EventSerializer(new EventTypeMap().Register<Tick>("CrashWriter.Tick")) }
);
await using var standardOutput = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false, NewLine = "\n" };
var acknowledgements = new Acknowledgements(standardOutput);
try
{
    await Task.WhenAll(
        Enumerable
            .Range(1, streamCount)
            .Select(s => AppendForeverAsync(store, $"crash-{s}", acknowledgements, stop.Token))
    );
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    // Ctrl+C: every acknowledged append is already committed.
}
return 0;

static async Task AppendForeverAsync(
    EventStore store,
    string streamId,
    Acknowledgements acknowledgements,
    CancellationToken cancellationToken
)
{
    long version = 0;
    for (var append = 0; ; append++)
    {
        var batchSize = append % 3 == 0 ? 1 : append % 4 + 1;
        var events = Enumerable
            .Range(0, batchSize)
            .Select(i => new EventToAppend(new Tick(append, i)) { EventId = Guid.CreateVersion7() })
            .ToArray();
        var result = await store.AppendAsync(
            streamId,
            ExpectedVersion.Exactly(version),
            events,
            cancellationToken: cancellationToken
        );
        version = result.StreamVersion;
        acknowledgements.Acknowledge(result);
    }
}

/// <summary>The payload: which append of its stream wrote it, and its place in that batch.</summary>
internal sealed record Tick(int Append, int Index);

/// <summary>Writes one line per committed append to stdout and flushes it before the next can be written.</summary>
internal sealed class Acknowledgements(TextWriter standardOutput)
{
    private readonly Lock _lock = new();

    public void Acknowledge(AppendResult result)
    {
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"ack {result.StreamId} {result.StreamVersion} {string.Join(' ', result.Events.Select(e => e.EventId))}"
        );
        lock (_lock)
        {
            standardOutput.WriteLine(line);
            standardOutput.Flush();
        }
    }
}
