using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Feed;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>
/// The load benchmark's readers without HTTP, for the store level under the same mix: in turn an
/// overview now, an overview with <c>asOf</c> and <c>knownAt</c> at random instants since seeding, and a
/// feed page of <see cref="LoadTraffic.FeedPageSize"/> events shaped as the API answers it — the same
/// queries <c>LoadTraffic.ReadAsync</c> sends, called in the CLI's process. Without HTTP a closed loop
/// would read many times faster than the HTTP readers did and take the writers' CPU, so each reader is
/// paced to at most <paramref name="readsPerSecond"/>, its share of the HTTP run's reads. Counts no appends.
/// </summary>
internal sealed class InProcessReader(
    CustomerQueries queries,
    EventStore.EventStore store,
    IReadOnlyList<string> customers,
    DateTimeOffset seededAt,
    int seed,
    double readsPerSecond
) : IBenchWriter
{
    private readonly Random _random = new(seed);
    private readonly TimeSpan _interval = TimeSpan.FromSeconds(1 / readsPerSecond);
    private DateTime _next = DateTime.UtcNow;
    private GlobalPosition _cursor = GlobalPosition.Start;
    private long _turn;

    public async Task<int> WriteOnceAsync(CancellationToken cancellationToken)
    {
        // At most one read per interval, and no burst to make up for a read that came late.
        var now = DateTime.UtcNow;
        if (_next > now)
            await Task.Delay(_next - now, cancellationToken);
        _next = (_next > now ? _next : now) + _interval;
        var customerId = customers[_random.Next(customers.Count)];
        switch (_turn++ % 3)
        {
            case 0:
                _ = await queries.GetOverviewAsync(customerId, TimeTravel.Now, cancellationToken);
                break;
            case 1:
                var since = DateTimeOffset.UtcNow - seededAt;
                var travel = new TimeTravel(
                    null,
                    seededAt + since * _random.NextDouble(),
                    seededAt + since * _random.NextDouble()
                );
                _ = await queries.GetOverviewAsync(customerId, travel, cancellationToken);
                break;
            default:
                var page = await store.ReadAllAsync(_cursor, LoadTraffic.FeedPageSize, null, cancellationToken);
                _ = page.Select(AuditEvent.From).ToList();
                _cursor = page.Count == LoadTraffic.FeedPageSize ? page[^1].Position : GlobalPosition.Start;
                break;
        }
        return 0;
    }
}
