using System.Collections.Concurrent;

namespace RelationshipLedger.Application.Customers.Caching;

/// <summary>
/// A thread-safe dictionary that holds at most <c>capacity</c> entries: when it is full, an arbitrary
/// tenth of them is dropped. Cheap and good enough for states that are merely expensive to rebuild.
/// </summary>
internal sealed class BoundedCache<TKey, TValue>(int capacity)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _entries = new();

    public int Count => _entries.Count;

    public bool TryGet(TKey key, out TValue value) => _entries.TryGetValue(key, out value!);

    /// <summary>Stores <paramref name="value"/> unless <paramref name="keepExisting"/> says the one already there is better.</summary>
    public void Put(TKey key, TValue value, Func<TValue, bool>? keepExisting = null)
    {
        if (capacity == 0)
            return;
        if (_entries.Count >= capacity)
            EvictSome();
        _entries.AddOrUpdate(
            key,
            value,
            (_, existing) => keepExisting is not null && keepExisting(existing) ? existing : value
        );
    }

    public void Remove(TKey key) => _entries.TryRemove(key, out _);

    private void EvictSome()
    {
        var toEvict = Math.Max(1, capacity / 10);
        foreach (var key in _entries.Keys)
        {
            if (toEvict-- == 0)
                break;
            _entries.TryRemove(key, out _);
        }
    }
}
