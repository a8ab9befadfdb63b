using System.Runtime.CompilerServices;

namespace RelationshipLedger.Application.Abc;

/// <summary>
/// The whole portfolio classified as of an instant (<see cref="AbcRevenueMirror.ClassifyAsync"/>): every
/// customer registered by then, in pyramid order — currency by code, the customers without revenue last,
/// then rank. Immutable; one classification serves any number of pages and filters.
/// </summary>
public sealed class AbcClassification
{
    private readonly AbcEntry[] _entries;
    private readonly string[] _currencies;
    private readonly string[] _idsInIdOrder;
    private readonly AbcClass[] _classesInIdOrder;

    internal AbcClassification(
        DateTimeOffset asOf,
        DateTimeOffset? knownAt,
        AbcEntry[] entries,
        string[] currencies,
        string[] idsInIdOrder,
        AbcClass[] classesInIdOrder
    )
    {
        AsOf = asOf;
        KnownAt = knownAt;
        _entries = entries;
        _currencies = currencies;
        _idsInIdOrder = idsInIdOrder;
        _classesInIdOrder = classesInIdOrder;
    }

    public DateTimeOffset AsOf { get; }

    public DateTimeOffset? KnownAt { get; }

    /// <summary>How many entries: one per customer (per currency, for a customer with revenue in several).</summary>
    public int Count => _entries.Length;

    /// <summary>The customers of <paramref name="abcClass"/>, each once, in ordinal id order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string[] MembersOf(AbcClass abcClass)
    {
        var members = new List<string>();
        for (var i = 0; i < _idsInIdOrder.Length; i++)
            if (_classesInIdOrder[i] == abcClass && (members.Count == 0 || members[^1] != _idsInIdOrder[i]))
                members.Add(_idsInIdOrder[i]);
        return [.. members];
    }

    /// <summary>How many customers, and their revenue (a negative net revenue counts 0), per currency and class.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public IReadOnlyList<(string? Currency, AbcClass Class, int Customers, decimal Revenue)> Groups()
    {
        var groups = new List<(string? Currency, AbcClass Class, int Customers, decimal Revenue)>();
        for (var start = 0; start < _entries.Length; )
        {
            var (currency, abcClass) = (_entries[start].Currency, _entries[start].Class);
            var end = start;
            Int128 revenue = 0;
            byte scale = 0;
            for (
                ;
                end < _entries.Length && _entries[end].Currency == currency && _entries[end].Class == abcClass;
                end++
            )
                if (_entries[end].Units > 0)
                {
                    revenue += _entries[end].Units;
                    scale = Math.Max(scale, _entries[end].Scale);
                }
            groups.Add((CurrencyOf(currency), abcClass, end - start, AbcAmounts.ToDecimal(revenue, scale)));
            start = end;
        }
        return groups;
    }

    /// <summary>
    /// Up to <paramref name="count"/> rankings after <paramref name="after"/> (from the start when null), of
    /// <paramref name="abcClass"/> only when given, in pyramid order.
    /// </summary>
    public List<AbcRanking> Page(AbcClass? abcClass, AbcCursor? after, int count)
    {
        var page = new List<AbcRanking>(Math.Min(count, 1024));
        for (var i = after is null ? 0 : FirstAfter(after); i < _entries.Length && page.Count < count; i++)
            if (abcClass is null || _entries[i].Class == abcClass)
                page.Add(RankingAt(i));
        return page;
    }

    private AbcRanking RankingAt(int index)
    {
        var entry = _entries[index];
        return new AbcRanking(entry.CustomerId, CurrencyOf(entry.Currency), entry.NetRevenue, entry.Rank, entry.Class);
    }

    private string? CurrencyOf(int currency) => currency == AbcEntry.NoCurrency ? null : _currencies[currency];

    /// <summary>The first entry after the cursor's (currency, rank) in pyramid order.</summary>
    private int FirstAfter(AbcCursor after)
    {
        int low = 0,
            high = _entries.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (Compare(_entries[middle], after) <= 0)
                low = middle + 1;
            else
                high = middle;
        }
        return low;
    }

    private int Compare(AbcEntry entry, AbcCursor cursor)
    {
        var currency = CurrencyOf(entry.Currency);
        var byGroup = (currency is null).CompareTo(cursor.Currency is null);
        if (byGroup != 0)
            return byGroup;
        var byCurrency = string.CompareOrdinal(currency, cursor.Currency);
        return byCurrency != 0 ? byCurrency : entry.Rank.CompareTo(cursor.Rank);
    }
}
