using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Feed;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>
/// The load benchmark's readers without HTTP, for the store level under the same mix: in turn an
/// overview now, an overview with <c>asOf</c> and <c>knownAt</c> at random instants since seeding, and a
/// feed page of <see cref="LoadTraffic.FeedPageSize"/> events shaped as the API answers it — the same
/// queries <c>LoadTraffic.ReadAsync</c> sends, called in the CLI's process. Counts no appends.
/// </summary>
internal sealed class InProcessReader(
    CustomerQueries queries,
    EventStore.EventStore store,
    IReadOnlyList<string> customers,
    DateTimeOffset seededAt,
    int seed
) : IBenchWriter
{
    private readonly Random _random = new(seed);
    private GlobalPosition _cursor = GlobalPosition.Start;
    private long _turn;

    public async Task<int> WriteOnceAsync(CancellationToken cancellationToken)
    {
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
