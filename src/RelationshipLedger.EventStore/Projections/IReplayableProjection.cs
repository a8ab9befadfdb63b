namespace RelationshipLedger.EventStore.Projections;

/// <summary>
/// An <see cref="IAsyncProjection"/> that a rebuild can replay with state kept in memory across
/// batches. During the bulk part of a rebuild (docs/rebuilds.md) one <see cref="IProjectionReplay"/>
/// receives every batch of the log in order, without gaps, so it can carry what it folded from one
/// batch to the next instead of reading it back from the database; the rest of the rebuild (the
/// catch-up and the swap) and the daemon use <see cref="IAsyncProjection.ApplyAsync"/>.
/// </summary>
public interface IReplayableProjection : IAsyncProjection
{
    /// <summary>
    /// The stored types the replay receives: <see cref="IAsyncProjection.EventTypes"/> and any others it
    /// folds (null for every event). Only events of <see cref="IAsyncProjection.EventTypes"/> count as
    /// the rebuild's progress.
    /// </summary>
    IReadOnlyCollection<string>? ReplayEventTypes { get; }

    /// <summary>A replay for one run of a rebuild, from the rebuild's checkpoint on (which may be a resumed one's).</summary>
    IProjectionReplay StartReplay();
}

/// <summary>One run of a rebuild's bulk replay of an <see cref="IReplayableProjection"/>.</summary>
public interface IProjectionReplay
{
    /// <summary>
    /// Does what the next batch needs short of the database (decoding, folding, computing rows): called
    /// for each batch in order, on the reading side, while the batch before it is being written.
    /// <paramref name="events"/> (at least one, of <see cref="IReplayableProjection.ReplayEventTypes"/>)
    /// follow the previous batch's in global order with nothing left out. A batch that fails to be
    /// written ends the run: neither the replay nor anything it prepared is used again.
    /// </summary>
    IReplayBatch Prepare(IReadOnlyList<RecordedEvent> events);
}

/// <summary>A batch prepared by an <see cref="IProjectionReplay"/>, to write in the batch's transaction.</summary>
public interface IReplayBatch
{
    /// <summary>
    /// Writes exactly what <see cref="IAsyncProjection.ApplyAsync"/> would for the events of the
    /// projection's <see cref="IAsyncProjection.EventTypes"/> in the batch. Called once, after the
    /// previous batch's write committed, possibly while the next batch is being prepared.
    /// </summary>
    Task ApplyAsync(AsyncProjectionContext context, CancellationToken cancellationToken);
}
