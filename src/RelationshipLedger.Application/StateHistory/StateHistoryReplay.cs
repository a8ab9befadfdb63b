using RelationshipLedger.Domain.Customers;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Projections;
using RelationshipLedger.EventStore.Serialization;

namespace RelationshipLedger.Application.StateHistory;

/// <summary>
/// The state history's replay during a rebuild: it receives every customer event in log order and
/// folds each stream in memory as its events go by, so a batch does not read its customers' streams
/// back from the log as <see cref="StateHistoryProjection.ApplyAsync"/> must. A customer's rows are
/// written, exactly as the projection writes them, from its state at its newest event of the
/// projection's types in the batch (later events of other types are folded on, for the next batch).
/// The folding and the periods are computed in <see cref="Prepare"/>, on the rebuild's reading side,
/// while the previous batch is being written.
/// </summary>
/// <remarks>
/// A stream is folded in memory only from version 1 or from the state kept for it, one version after
/// the other; a stream whose state is not at hand (forgotten, or begun before a resumed rebuild's
/// checkpoint) or whose next event is not the next version is refolded from the log for the batch, as
/// the projection does, and is not kept. Memory stays bounded whatever the log's size: the states are
/// kept in a <see cref="TwoGenerationCache{TValue}"/> of <c>capacity</c> streams (and at most
/// <see cref="KeptEventsPerGeneration"/> folded events) per generation.
/// </remarks>
internal sealed class StateHistoryReplay(StateHistoryProjection projection, EventSerializer serializer, int capacity)
    : IProjectionReplay
{
    /// <summary>
    /// Fewer than the daemon keeps: a rebuild streams the whole log once, in order, so a state let go of
    /// is read back at most once more, and its peak memory must not grow with the log (docs/rebuilds.md).
    /// </summary>
    internal const long KeptEventsPerGeneration = 50_000;

    private readonly TwoGenerationCache<CustomerState> _states = new(
        capacity,
        KeptEventsPerGeneration,
        state => state.Version
    );

    public IReplayBatch Prepare(IReadOnlyList<RecordedEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var touched = StateHistoryProjection.Touched(events);
        var folded = new Dictionary<string, CustomerState>(StringComparer.Ordinal);
        var broken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var recorded in events)
        {
            var streamId = recorded.StreamId;
            if (broken.Contains(streamId))
                continue;
            var state = _states.TryRecall(streamId, out var kept) ? kept : CustomerState.Initial;
            if (recorded.Version != state.Version + 1)
            {
                broken.Add(streamId);
                _states.Forget(streamId);
                continue;
            }
            var data = (CustomerEvent)serializer.Deserialize(recorded.Type, recorded.Data);
            state = CustomerDecider.Evolve(state, data, new EventMoment(recorded.Version, recorded.OccurredAt));
            _states.Keep(streamId, state);
            if (touched.TryGetValue(streamId, out var newest) && newest == recorded.Version)
                folded[streamId] = state;
        }

        var rows = new StateHistoryProjection.PeriodRows();
        projection.AddPeriods(rows, folded.Select(f => (f.Key, f.Value)));
        var refold = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (streamId, newest) in touched)
            if (!folded.ContainsKey(streamId))
                refold[streamId] = newest;
        return new Batch(projection, touched.Keys.ToArray(), rows, refold);
    }

    /// <summary>
    /// A prepared batch: the rows of the customers folded in memory, and those still to refold from
    /// the log (whose states are not kept: the next batch is being prepared meanwhile).
    /// </summary>
    private sealed class Batch(
        StateHistoryProjection projection,
        string[] customers,
        StateHistoryProjection.PeriodRows rows,
        SortedDictionary<string, long> refold
    ) : IReplayBatch
    {
        public async Task ApplyAsync(AsyncProjectionContext context, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(context);
            if (customers.Length == 0)
                return;
            if (refold.Count > 0)
                projection.AddPeriods(rows, await projection.FoldAsync(context, refold, cancellationToken));
            await StateHistoryProjection.ReplaceAsync(context, customers, rows, cancellationToken);
        }
    }
}
