using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RelationshipLedger.Application.Abc;

/// <summary>
/// The classification of <c>ledger.abc_classes_at(as_of, known_at)</c> (docs/abc.md), computed over the facts
/// held in memory: the same window, currencies, ranks and lines, so that both answer alike (AbcRevenueMirrorTests
/// compares them on random portfolios). Its loops are compiled optimized from the first call: a process
/// answers its first questions as fast as its later ones.
/// </summary>
internal static class AbcRanker
{
    /// <summary>The trailing window: 365 days of 24 hours, as the SQL function's <c>interval '8760 hours'</c>.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(8760);

    public static AbcClassification Rank(AbcFactsInMemory facts, DateTimeOffset asOf, DateTimeOffset? knownAt)
    {
        var currencies = facts.Currencies.ToArray();
        var entries = Entries(facts, asOf, knownAt, currencies.Length);
        var ranked = new AbcEntry[entries.Count];
        var classesInIdOrder = new AbcClass[entries.Count];
        var next = 0;
        foreach (
            var currency in Enumerable.Range(0, currencies.Length).OrderBy(c => currencies[c], StringComparer.Ordinal)
        )
            next = RankGroup(entries, currency, ranked, classesInIdOrder, next);
        RankGroup(entries, AbcEntry.NoCurrency, ranked, classesInIdOrder, next);
        var idsInIdOrder = new string[entries.Count];
        for (var i = 0; i < idsInIdOrder.Length; i++)
            idsInIdOrder[i] = entries[i].CustomerId;
        return new AbcClassification(asOf, knownAt, ranked, currencies, idsInIdOrder, classesInIdOrder);
    }

    /// <summary>
    /// One entry per registered customer and currency it has revenue in within the window, one with no
    /// currency when it has none, in customer id order. The window of a customer whose compact facts share
    /// one currency and one scale, asked about as known now, is the difference of two running sums (exact for
    /// fewer than <see cref="AbcFactsInMemory.ExactRun"/> facts); otherwise its facts are added up.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<AbcEntry> Entries(
        AbcFactsInMemory facts,
        DateTimeOffset asOf,
        DateTimeOffset? knownAt,
        int currencyCount
    )
    {
        var to = asOf.UtcTicks;
        var from = to - Window.Ticks;
        var known = knownAt?.UtcTicks ?? long.MaxValue;
        var sums = new WindowSums(currencyCount);
        var entries = new List<AbcEntry>(facts.Customers.Length + 16);
        var running = facts.Running;
        foreach (var customer in facts.Customers)
        {
            if (customer.RegisteredTicks > to || customer.RegistrationRecordedTicks > known)
                continue;
            var first = facts.FirstAfter(customer, from, customer.CompactStart);
            var end = facts.FirstAfter(customer, to, first);
            var uniform =
                customer.CompactCurrency != AbcCustomer.Mixed
                && customer.CompactScale != AbcCustomer.Mixed
                && end - first < AbcFactsInMemory.ExactRun;
            if (knownAt is null && customer.Recent.IsEmpty && (end == first || uniform))
            {
                // The common case, without the per-currency bookkeeping.
                entries.Add(
                    end == first
                        ? new AbcEntry(customer.CustomerId, AbcEntry.NoCurrency, 0, 0)
                        : new AbcEntry(
                            customer.CustomerId,
                            customer.CompactCurrency,
                            unchecked(running[end - 1] - (first > customer.CompactStart ? running[first - 1] : 0)),
                            (byte)customer.CompactScale
                        )
                );
                continue;
            }
            for (var i = first; i < end; i++)
                sums.Add(facts.CompactFact(i, customer.CompactStart), known);
            foreach (ref readonly var fact in customer.Recent)
                if (fact.OccurredTicks > from && fact.OccurredTicks <= to)
                    sums.Add(fact, known);
            sums.AddEntries(customer.CustomerId, entries);
        }
        return entries;
    }

    /// <summary>
    /// Copies the entries of <paramref name="currency"/> to <paramref name="ranked"/> from <paramref name="at"/>
    /// in rank order — net revenue, highest first, ties by customer id (the entries' order) — ranks them,
    /// draws the lines (each class also at the entry's place in <paramref name="classesInIdOrder"/>), and
    /// returns where the next group starts.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int RankGroup(
        List<AbcEntry> entries,
        int currency,
        AbcEntry[] ranked,
        AbcClass[] classesInIdOrder,
        int at
    )
    {
        var all = CollectionsMarshal.AsSpan(entries);
        var members = new List<int>();
        for (var i = 0; i < all.Length; i++)
            if (all[i].Currency == currency)
                members.Add(i);
        var order = members.ToArray();
        if (currency != AbcEntry.NoCurrency) // Without revenue, all are 0 and already in id order.
            SortByRevenue(entries, order);
        Int128 total = 0;
        foreach (var index in order)
            total += Int128.Max(all[index].Units, 0);
        Int128 above = 0;
        for (var i = 0; i < order.Length; i++)
        {
            ref var entry = ref ranked[at + i];
            entry = all[order[i]];
            entry.Rank = i + 1;
            // The customers above hold less than 80 % (A) or 95 % (B) of the total: 5·above < 4·total, 20·above < 19·total.
            entry.Class =
                entry.Units <= 0 ? AbcClass.C
                : 5 * above < 4 * total ? AbcClass.A
                : 20 * above < 19 * total ? AbcClass.B
                : AbcClass.C;
            above += Int128.Max(entry.Units, 0);
            classesInIdOrder[order[i]] = entry.Class;
        }
        return at + order.Length;
    }

    /// <summary>
    /// Sorts <paramref name="order"/> (indexes of <paramref name="entries"/>, ascending) by net revenue, highest
    /// first, then index. The sort runs on the revenue as a double, a monotone image of the exact sum; a run
    /// of equal doubles is then put back in index order, and in exact order should its sums differ.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SortByRevenue(List<AbcEntry> entries, int[] order)
    {
        var all = CollectionsMarshal.AsSpan(entries);
        var keys = new double[order.Length];
        for (var i = 0; i < order.Length; i++)
            keys[i] = -(double)all[order[i]].Units;
        Array.Sort(keys, order);
        for (var start = 0; start < order.Length; )
        {
            var end = start + 1;
            while (end < order.Length && keys[end] == keys[start])
                end++;
            var run = order.AsSpan(start, end - start);
            if (run.Length > 1)
            {
                run.Sort();
                if (!SameUnits(all, run))
                    run.Sort((x, y) => Exact(entries, x, y));
            }
            start = end;
        }
    }

    private static bool SameUnits(ReadOnlySpan<AbcEntry> all, ReadOnlySpan<int> run)
    {
        foreach (var index in run)
            if (all[index].Units != all[run[0]].Units)
                return false;
        return true;
    }

    /// <summary>Net revenue, highest first, then id order (the entries' order).</summary>
    private static int Exact(List<AbcEntry> entries, int x, int y)
    {
        var byRevenue = entries[y].Units.CompareTo(entries[x].Units);
        return byRevenue != 0 ? byRevenue : x.CompareTo(y);
    }

    /// <summary>One customer's revenue in the window, per currency it has any in, with the largest scale added.</summary>
    private sealed class WindowSums(int currencyCount)
    {
        private readonly Int128[] _units = new Int128[currencyCount];
        private readonly byte[] _scales = new byte[currencyCount];
        private readonly bool[] _seen = new bool[currencyCount];
        private readonly List<int> _touched = new(2);

        public void Add(in AbcFact fact, long known)
        {
            if (fact.RecordedTicks <= known)
                Add(fact.Currency, fact.Units, fact.Scale);
        }

        public void Add(int currency, Int128 units, byte scale)
        {
            if (!_seen[currency])
            {
                _seen[currency] = true;
                _units[currency] = 0;
                _scales[currency] = 0;
                _touched.Add(currency);
            }
            _units[currency] += units;
            _scales[currency] = Math.Max(_scales[currency], scale);
        }

        /// <summary>Adds the customer's entries (one without currency when it had no revenue) and starts over.</summary>
        public void AddEntries(string customerId, List<AbcEntry> entries)
        {
            if (_touched.Count == 0)
                entries.Add(new AbcEntry(customerId, AbcEntry.NoCurrency, 0, 0));
            foreach (var currency in _touched)
            {
                entries.Add(new AbcEntry(customerId, currency, _units[currency], _scales[currency]));
                _seen[currency] = false;
            }
            _touched.Clear();
        }
    }
}
