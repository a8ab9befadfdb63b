namespace RelationshipLedger.EventStore.Projections;

/// <summary>
/// The replay of a projection that carries nothing from one batch to the next: each batch is prepared
/// (decoded, its rows computed) by <paramref name="prepare"/> on the rebuild's reading side while the
/// batch before it is written. The projection's <see cref="IAsyncProjection.ApplyAsync"/> is
/// <paramref name="prepare"/> followed by the batch's write, so the replay writes exactly what it would.
/// </summary>
public sealed class StatelessReplay(Func<IReadOnlyList<RecordedEvent>, IReplayBatch> prepare) : IProjectionReplay
{
    public IReplayBatch Prepare(IReadOnlyList<RecordedEvent> events) => prepare(events);
}
