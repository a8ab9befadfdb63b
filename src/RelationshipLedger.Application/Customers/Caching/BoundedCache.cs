namespace RelationshipLedger.Application.Customers.Caching;

/// <summary>
/// A thread-safe dictionary bounded twice: at most <c>capacity</c> entries, and at most
/// <c>weightBudget</c> in total weight (what <c>weigh</c> says an entry costs; 1 each without it). When a
/// new entry would pass either bound, arbitrary entries are dropped until both are met with a tenth to
/// spare. Cheap and good enough for states that are merely expensive to rebuild.
/// </summary>
internal sealed class BoundedCache<TKey, TValue>(
    int capacity,
    long weightBudget = long.MaxValue,
    Func<TValue, long>? weigh = null
)
    where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _entries = new();
    private readonly Lock _lock = new();
    private long _weight;

    public int Count
    {
        get
        {
            lock (_lock)
                return _entries.Count;
        }
    }

    /// <summary>The total weight of the entries held.</summary>
    public long Weight
    {
        get
        {
            lock (_lock)
                return _weight;
        }
    }

    public bool TryGet(TKey key, out TValue value)
    {
        lock (_lock)
            return _entries.TryGetValue(key, out value!);
    }

    /// <summary>Stores <paramref name="value"/> unless <paramref name="keepExisting"/> says the one already there is better.</summary>
    public void Put(TKey key, TValue value, Func<TValue, bool>? keepExisting = null)
    {
        var weight = Weigh(value);
        if (capacity == 0 || weight > weightBudget)
            return;
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                if (keepExisting is not null && keepExisting(existing))
                    return;
                _entries.Remove(key);
                _weight -= Weigh(existing);
            }
            if (_entries.Count + 1 > capacity || _weight + weight > weightBudget)
                EvictFor(weight);
            _entries[key] = value;
            _weight += weight;
        }
    }

    public void Remove(TKey key)
    {
        lock (_lock)
        {
            if (_entries.Remove(key, out var removed))
                _weight -= Weigh(removed);
        }
    }

    private long Weigh(TValue value) => weigh is null ? 1 : Math.Max(1, weigh(value));

    /// <summary>Drops entries until one of <paramref name="weight"/> fits with a tenth of both bounds to spare.</summary>
    private void EvictFor(long weight)
    {
        var countTarget = capacity - Math.Max(1, capacity / 10);
        var weightTarget = weightBudget - weight - weightBudget / 10;
        foreach (var key in _entries.Keys.ToList())
        {
            if (_entries.Count <= countTarget && _weight <= weightTarget)
                break;
            _entries.Remove(key, out var removed);
            _weight -= Weigh(removed!);
        }
    }
}
