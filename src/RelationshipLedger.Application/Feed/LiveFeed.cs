using System.Runtime.CompilerServices;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Application.Feed;

/// <summary>How the live feed follows the global log.</summary>
public sealed record LiveFeedOptions
{
    /// <summary>How often the process looks at the head of the log while anyone follows it.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest a follower waits for the log to advance before it reads anyway (and a stream sends a keep-alive).</summary>
    public TimeSpan IdleInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Events per read.</summary>
    public int PageSize { get; init; } = 500;
}

/// <summary>
/// Follows the global log: the backlog after a position, then each event as it becomes readable.
/// Every read goes through <see cref="EventStore.EventStore.ReadAllAsync"/>, so the live path keeps
/// the gap-free rule: an event is never delivered after a later one, however late it commits.
/// </summary>
public sealed class LiveFeed(EventStore.EventStore store, GlobalLogWatcher watcher, LiveFeedOptions options)
{
    public LiveFeedOptions Options { get; } = options;

    /// <summary>
    /// The result of every read, in global order, until <paramref name="cancellationToken"/> is
    /// cancelled: pages of the backlog, then whatever each advance of the log brought. An empty page
    /// means nothing new (of <paramref name="types"/>) since the last one; the caller may send a keep-alive.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<RecordedEvent>> FollowAsync(
        GlobalPosition after,
        IReadOnlyCollection<string>? types,
        [EnumeratorCancellation] CancellationToken cancellationToken
    )
    {
        using var following = watcher.Follow();
        while (true)
        {
            // Taken before the read, so an advance that happens during the read wakes the next wait.
            var advance = watcher.NextAdvance;
            var page = await store.ReadAllAsync(after, Options.PageSize, types, cancellationToken);
            if (page.Count > 0)
                after = page[^1].Position;
            yield return page;
            if (page.Count == Options.PageSize)
                continue;
            await advance
                .WaitAsync(Options.IdleInterval, cancellationToken)
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
