using System.Collections;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;

namespace RelationshipLedger.Domain.Customers;

/// <summary>
/// An immutable list that grows only at its end, as a customer's facts do. The versions of a list
/// share one array: <see cref="Add"/> on the longest version claims and writes the next free slot and
/// returns a longer view of the same array (amortised O(1), growing into a larger array when full);
/// <see cref="Add"/> on an older version, whose next slot another version has already claimed, copies.
/// A slot below a version's count is never written again, so every version reads as it was made, from
/// any thread, and reads are array reads.
/// </summary>
[CollectionBuilder(typeof(AppendOnlyList), nameof(AppendOnlyList.Create))]
[JsonConverter(typeof(AppendOnlyListJsonConverterFactory))]
public sealed class AppendOnlyList<T> : IReadOnlyList<T>
{
    internal static AppendOnlyList<T> Empty { get; } = new(new Slots([], 0, new Lineage()), 0);

    private readonly Slots _slots;

    private AppendOnlyList(Slots slots, int count)
    {
        _slots = slots;
        Count = count;
    }

    public int Count { get; }

    public T this[int index] =>
        (uint)index < (uint)Count ? _slots.Items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>The items in order, without copying.</summary>
    public ReadOnlySpan<T> AsSpan() => _slots.Items.AsSpan(0, Count);

    /// <summary>This list with <paramref name="item"/> at its end.</summary>
    public AppendOnlyList<T> Add(T item)
    {
        if (!_slots.TryClaim(Count))
            return new AppendOnlyList<T>(Slots.CopyOf(_slots.Items, Count, item, new Lineage()), Count + 1);
        if (Count == _slots.Items.Length)
            return new AppendOnlyList<T>(Slots.CopyOf(_slots.Items, Count, item, _slots.Lineage), Count + 1);
        _slots.Items[Count] = item;
        return new AppendOnlyList<T>(_slots, Count + 1);
    }

    /// <summary>
    /// Whether this list is <paramref name="earlier"/> with zero or more items added at its end. Exact
    /// and O(1): both are versions of one lineage of arrays (each grown from the last by the version
    /// that claimed its next slot), and this one is at least as long.
    /// </summary>
    public bool Extends(AppendOnlyList<T> earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        return ReferenceEquals(_slots.Lineage, earlier._slots.Lineage) && Count >= earlier.Count;
    }

    internal static AppendOnlyList<T> Of(ReadOnlySpan<T> items) =>
        items.IsEmpty
            ? Empty
            : new AppendOnlyList<T>(new Slots(items.ToArray(), items.Length, new Lineage()), items.Length);

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<T> IEnumerable<T>.GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
            yield return _slots.Items[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<T>)this).GetEnumerator();

    /// <summary>Enumerates a version's items without allocating.</summary>
    public struct Enumerator(AppendOnlyList<T> list)
    {
        private int _index = -1;

        public readonly T Current => list._slots.Items[_index];

        public bool MoveNext() => ++_index < list.Count;
    }

    /// <summary>
    /// The shared array and how many of its slots some version has claimed. Slot <c>Items.Length</c>
    /// is claimable too: its claimer grows the lineage into a larger array.
    /// </summary>
    private sealed class Slots(T[] items, int claimed, Lineage lineage)
    {
        private int _claimed = claimed;

        public T[] Items { get; } = items;

        public Lineage Lineage { get; } = lineage;

        /// <summary>Claims slot <paramref name="index"/> for the caller if it is the next free one.</summary>
        public bool TryClaim(int index) => Interlocked.CompareExchange(ref _claimed, index + 1, index) == index;

        /// <summary>A larger array with the first <paramref name="count"/> of <paramref name="items"/> and then <paramref name="item"/>.</summary>
        public static Slots CopyOf(T[] items, int count, T item, Lineage lineage)
        {
            var copy = new T[Math.Max(4, count * 2)];
            Array.Copy(items, copy, count);
            copy[count] = item;
            return new Slots(copy, count + 1, lineage);
        }
    }

    /// <summary>Identifies the arrays whose versions are all prefixes of one sequence.</summary>
    private sealed class Lineage;
}

/// <summary>Builds <see cref="AppendOnlyList{T}"/> from collection expressions (<c>[]</c>, <c>[.. items]</c>).</summary>
public static class AppendOnlyList
{
    public static AppendOnlyList<T> Create<T>(ReadOnlySpan<T> items) => AppendOnlyList<T>.Of(items);
}
