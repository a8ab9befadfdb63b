namespace RelationshipLedger.Application.StateHistory;

/// <summary>
/// A bounded map of the streams seen most recently, in two generations of at most <c>capacity</c>
/// entries each: when the newer generation is full, the older is dropped and the newer takes its
/// place. An entry recalled from the older generation moves to the newer one. Memory stays bounded
/// whatever the number of streams; not thread-safe.
/// </summary>
internal sealed class TwoGenerationCache<TValue>(int capacity)
    where TValue : notnull
{
    private Dictionary<string, TValue> _newer = new(StringComparer.Ordinal);
    private Dictionary<string, TValue> _older = new(StringComparer.Ordinal);

    public bool TryRecall(string streamId, out TValue value)
    {
        if (_newer.TryGetValue(streamId, out value!))
            return true;
        if (!_older.Remove(streamId, out value!))
            return false;
        Keep(streamId, value);
        return true;
    }

    public void Keep(string streamId, TValue value)
    {
        if (_newer.Count >= capacity && !_newer.ContainsKey(streamId))
        {
            _older = _newer;
            _newer = new Dictionary<string, TValue>(StringComparer.Ordinal);
        }
        _newer[streamId] = value;
    }

    public void Forget(string streamId)
    {
        _newer.Remove(streamId);
        _older.Remove(streamId);
    }
}
