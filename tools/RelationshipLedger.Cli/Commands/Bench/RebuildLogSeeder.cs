using System.Diagnostics;
using RelationshipLedger.Application;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Seeding;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>
/// Grows the log to a number of events fast, for <c>ledger bench rebuild</c>: the seeded customer
/// histories (<see cref="DecidedHistories"/>: every command decided by the domain), each appended
/// to its new stream in one batch through the store (hash chain and all), by a few writers at once.
/// The store has no inline projections: what is measured is asynchronous projections, which read
/// nothing but the log.
/// </summary>
internal sealed class RebuildLogSeeder(EventStore.EventStore store, int writers)
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private int _nextCustomer;
    private long _events;

    public long Events => Interlocked.Read(ref _events);

    public int Customers => Volatile.Read(ref _nextCustomer);

    /// <summary>Appends whole customers until the log holds at least <paramref name="target"/> events; how long it took.</summary>
    public async Task<TimeSpan> GrowToAsync(long target, Action<long> progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(
            Enumerable.Range(0, writers).Select(_ => Task.Run(() => WriteAsync(target, cancellationToken)))
        );
        progress(Events);
        return clock.Elapsed;
    }

    private async Task WriteAsync(long target, CancellationToken cancellationToken)
    {
        while (Interlocked.Read(ref _events) < target)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var index = Interlocked.Increment(ref _nextCustomer) - 1;
            var events = DecidedHistories.Decide(index, seed: 4, Now);
            await store.AppendAsync(
                $"bench-{index + 1:0000000}",
                ExpectedVersion.NoStream,
                events,
                CustomerId.StreamType,
                cancellationToken
            );
            Interlocked.Add(ref _events, events.Count);
        }
    }

    public static EventStore.EventStore CreateStore(Npgsql.NpgsqlDataSource dataSource) =>
        new(dataSource, new EventStoreOptions { Serializer = LedgerEventTypes.CreateSerializer() });
}
