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
/// </summary>
/// <remarks>
/// A stream is folded in memory only from version 1 or from the state kept for it, one version after
/// the other; a stream whose state is not at hand (forgotten, or begun before a resumed rebuild's
/// checkpoint) or whose next event is not the next version is refolded from the log for the batch, as
/// the projection does. Memory stays bounded whatever the log's size: the states are kept in two
/// generations of at most <c>capacity</c> streams; when the newer one is full, the older is dropped.
/// </remarks>
internal sealed class StateHistoryReplay(StateHistoryProjection projection, EventSerializer serializer, int capacity)
    : IProjectionReplay
{
    private Dictionary<string, CustomerState> _newer = new(StringComparer.Ordinal);
    private Dictionary<string, CustomerState> _older = new(StringComparer.Ordinal);

    public async Task ApplyAsync(
        IReadOnlyList<RecordedEvent> events,
        AsyncProjectionContext context,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(context);
        var touched = StateHistoryProjection.Touched(events);
        var folded = new Dictionary<string, CustomerState>(StringComparer.Ordinal);
        var broken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var recorded in events)
        {
            var streamId = recorded.StreamId;
            if (broken.Contains(streamId))
                continue;
            var state = Recall(streamId) ?? CustomerState.Initial;
            if (recorded.Version != state.Version + 1)
            {
                broken.Add(streamId);
                Forget(streamId);
                continue;
            }
            var data = (CustomerEvent)serializer.Deserialize(recorded.Type, recorded.Data);
            state = CustomerDecider.Evolve(state, data, new EventMoment(recorded.Version, recorded.OccurredAt));
            Keep(streamId, state);
            if (touched.TryGetValue(streamId, out var newest) && newest == recorded.Version)
                folded[streamId] = state;
        }

        var refold = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (streamId, newest) in touched)
            if (!folded.ContainsKey(streamId))
                refold[streamId] = newest;
        if (refold.Count > 0)
            foreach (var (streamId, state) in await projection.FoldAsync(context, refold, cancellationToken))
            {
                folded[streamId] = state;
                Keep(streamId, state);
            }

        if (touched.Count > 0)
            await projection.WriteAsync(
                context,
                touched.Keys.Select(streamId => (streamId, folded[streamId])).ToList(),
                cancellationToken
            );
    }

    private CustomerState? Recall(string streamId)
    {
        if (_newer.TryGetValue(streamId, out var state))
            return state;
        if (!_older.Remove(streamId, out state))
            return null;
        Keep(streamId, state);
        return state;
    }

    private void Keep(string streamId, CustomerState state)
    {
        if (_newer.Count >= capacity && !_newer.ContainsKey(streamId))
        {
            _older = _newer;
            _newer = new Dictionary<string, CustomerState>(StringComparer.Ordinal);
        }
        _newer[streamId] = state;
    }

    private void Forget(string streamId)
    {
        _newer.Remove(streamId);
        _older.Remove(streamId);
    }
}
