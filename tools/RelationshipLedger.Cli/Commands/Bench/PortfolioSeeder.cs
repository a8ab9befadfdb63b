using System.Diagnostics;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Seeding;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>
/// Writes the seeded customers fast: each customer's whole history is decided in memory and appended
/// in one append through the store (with its inline projections), by several writers at once.
/// </summary>
internal static class PortfolioSeeder
{
    public static async Task<Throughput> SeedAsync(
        EventStore.EventStore store,
        SeedOptions options,
        int writers,
        IProgress<int> progress,
        CancellationToken cancellationToken
    )
    {
        var next = -1;
        var events = 0L;
        var started = Stopwatch.GetTimestamp();
        var tasks = Enumerable
            .Range(0, writers)
            .Select(_ =>
                Task.Run(
                    async () =>
                    {
                        for (
                            var index = Interlocked.Increment(ref next);
                            index < options.Customers;
                            index = Interlocked.Increment(ref next)
                        )
                        {
                            var stream = SeededStreams.Decide(index, options).Events;
                            await store.AppendAsync(
                                SeedHistories.CustomerIdOf(index),
                                ExpectedVersion.NoStream,
                                stream,
                                CustomerId.StreamType,
                                cancellationToken
                            );
                            Interlocked.Add(ref events, stream.Count);
                            progress.Report(index);
                        }
                    },
                    cancellationToken
                )
            )
            .ToArray();
        await Task.WhenAll(tasks);
        return new Throughput(events, Stopwatch.GetElapsedTime(started));
    }
}
