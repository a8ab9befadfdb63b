namespace RelationshipLedger.Application.StateHistory;

/// <summary>
/// A bounded map of the streams seen most recently, in two generations, each of at most
/// <c>capacity</c> entries and <c>maxWeight</c> in total weight (what <c>weigh</c> says an entry costs):
/// when the newer generation is full, the older is dropped and the newer takes its place. An entry
/// recalled from the older generation moves to the newer one. Memory stays bounded whatever the number
/// of streams and the length of their histories; not thread-safe.
/// </summary>
internal sealed class TwoGenerationCache<TValue>(int capacity, long maxWeight, Func<TValue, long> weigh)
    where TValue : notnull
{
    private Dictionary<string, TValue> _newer = new(StringComparer.Ordinal);
    private Dictionary<string, TValue> _older = new(StringComparer.Ordinal);
    private long _newerWeight;
    private long _olderWeight;

    /// <summary>The weight of every entry held, in both generations: at most twice <c>maxWeight</c>.</summary>
    public long Weight => _newerWeight + _olderWeight;

    public bool TryRecall(string streamId, out TValue value)
    {
        if (_newer.TryGetValue(streamId, out value!))
            return true;
        if (!_older.Remove(streamId, out value!))
            return false;
        _olderWeight -= weigh(value);
        Keep(streamId, value);
        return true;
    }

    public void Keep(string streamId, TValue value)
    {
        var weight = weigh(value);
        if (_newer.Remove(streamId, out var replaced))
            _newerWeight -= weigh(replaced);
        if (_newer.Count >= capacity || _newerWeight + weight > maxWeight)
        {
            _older = _newer;
            _olderWeight = _newerWeight;
            _newer = new Dictionary<string, TValue>(StringComparer.Ordinal);
            _newerWeight = 0;
        }
        _newer[streamId] = value;
        _newerWeight += weight;
    }

    public void Forget(string streamId)
    {
        if (_newer.Remove(streamId, out var removed))
            _newerWeight -= weigh(removed);
        if (_older.Remove(streamId, out var older))
            _olderWeight -= weigh(older);
    }
}
