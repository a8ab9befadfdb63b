namespace RelationshipLedger.EventStore.Tests;

/// <summary>A reader of the global log that polls <see cref="EventStore.ReadAllAsync"/> from its last position, as a daemon would.</summary>
public sealed class LogFollower(EventStore store, int pageSize)
{
    private readonly Lock _lock = new();
    private readonly List<RecordedEvent> _delivered = [];
    private int _completedPolls;

    public int CompletedPolls => Volatile.Read(ref _completedPolls);

    public IReadOnlyList<RecordedEvent> Delivered()
    {
        lock (_lock)
            return [.. _delivered];
    }

    public async Task FollowAsync(CancellationToken cancellationToken)
    {
        var after = GlobalPosition.Start;
        while (!cancellationToken.IsCancellationRequested)
        {
            var page = await store.ReadAllAsync(after, pageSize, cancellationToken: CancellationToken.None);
            if (page.Count > 0)
            {
                lock (_lock)
                    _delivered.AddRange(page);
                after = page[^1].Position;
            }
            Interlocked.Increment(ref _completedPolls);
        }
    }
}
