using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RelationshipLedger.Application.Abc;

/// <summary>
/// The rows of the <c>abc_revenue</c> read model held in memory (<see cref="AbcRevenueMirror"/>), from which
/// <see cref="AbcRanker"/> classifies the portfolio as of any instant without a round trip. The customers
/// are kept in ordinal id order (the order of the read model's <c>collate "C"</c> ids, which breaks the
/// pyramid's ties). Their facts live in compact arrays, customer after customer in that order, each
/// customer's in business-time order with running sums, so that a window's revenue is two binary searches
/// and a subtraction over memory read in sequence; facts read later wait in their customer's
/// <see cref="AbcCustomer.Recent"/> until there are enough of them to compact again.
/// </summary>
/// <remarks>
/// A compact fact takes 28 bytes: its business and system instants, the running sum and its currency and
/// scale. The running sums are <see cref="long"/>s that may wrap around: the difference of two is exact
/// whenever the true sum between them fits a long, which holds for fewer than <see cref="ExactRun"/> facts
/// (each at most 10^16 ten-thousandths); a longer window is added up fact by fact.
/// </remarks>
internal sealed class AbcFactsInMemory
{
    /// <summary>How many consecutive facts' running sums always subtract exactly.</summary>
    public const int ExactRun = 900;

    private readonly Dictionary<string, AbcCustomer> _byId = new(StringComparer.Ordinal);
    private readonly List<AbcCustomer> _customers = [];
    private readonly Dictionary<string, int> _currencyIds = new(StringComparer.Ordinal);
    private readonly List<string> _currencies = [];
    private long _recentCount;

    /// <summary>Every customer, in ordinal id order.</summary>
    public ReadOnlySpan<AbcCustomer> Customers => CollectionsMarshal.AsSpan(_customers);

    public IReadOnlyList<string> Currencies => _currencies;

    public long FactCount { get; private set; }

    /// <summary>The compact facts' business instants (the binary searches read only these).</summary>
    public long[] Occurred { get; private set; } = [];

    /// <summary>The compact facts' system instants.</summary>
    public long[] Recorded { get; private set; } = [];

    /// <summary>Each compact fact's units plus those before it in its customer's slice, wrapping around.</summary>
    public long[] Running { get; private set; } = [];

    /// <summary>Each compact fact's currency (shifted left by 8) and scale (the low 8 bits).</summary>
    public int[] CurrencyAndScale { get; private set; } = [];

    public void Register(string customerId, DateTime registeredAt, DateTime recordedAt) =>
        Customer(customerId).Register(registeredAt.Ticks, recordedAt.Ticks);

    public void AddRevenue(string customerId, DateTime occurredAt, DateTime recordedAt, decimal amount, string currency)
    {
        if (!_currencyIds.TryGetValue(currency, out var currencyId))
        {
            currencyId = _currencies.Count;
            _currencies.Add(currency);
            _currencyIds.Add(currency, currencyId);
        }
        var (units, scale) = AbcAmounts.ToUnits(amount);
        Customer(customerId).AddRecent(new AbcFact(occurredAt.Ticks, recordedAt.Ticks, units, scale, currencyId));
        FactCount++;
        _recentCount++;
    }

    /// <summary>Compacts when the recent facts are more than a sixteenth of all.</summary>
    public void CompactIfWorthIt()
    {
        if (_recentCount * 16 > FactCount)
            Compact();
    }

    /// <summary>The compact fact at <paramref name="index"/>, its customer's slice starting at <paramref name="start"/>.</summary>
    public AbcFact CompactFact(int index, int start)
    {
        var units = unchecked(Running[index] - (index > start ? Running[index - 1] : 0));
        var kind = CurrencyAndScale[index];
        return new AbcFact(Occurred[index], Recorded[index], units, (byte)(kind & 0xFF), kind >> 8);
    }

    /// <summary>Merges every customer's compact and recent facts into new compact arrays.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Compact()
    {
        var occurred = new long[FactCount];
        var recorded = new long[FactCount];
        var running = new long[FactCount];
        var kinds = new int[FactCount];
        var next = 0;
        foreach (var customer in _customers)
        {
            var start = next;
            var old = customer.CompactStart;
            var recent = customer.Recent;
            var r = 0;
            long sum = 0;
            int currency = AbcCustomer.Mixed,
                scale = AbcCustomer.Mixed;
            while (old < customer.CompactEnd || r < recent.Length)
            {
                var fact =
                    r == recent.Length || (old < customer.CompactEnd && Occurred[old] <= recent[r].OccurredTicks)
                        ? CompactFact(old++, customer.CompactStart)
                        : recent[r++];
                (currency, scale) =
                    next == start
                        ? (fact.Currency, fact.Scale)
                        : (
                            fact.Currency == currency ? currency : AbcCustomer.Mixed,
                            fact.Scale == scale ? scale : AbcCustomer.Mixed
                        );
                occurred[next] = fact.OccurredTicks;
                recorded[next] = fact.RecordedTicks;
                running[next] = sum = unchecked(sum + fact.Units);
                kinds[next] = (fact.Currency << 8) | fact.Scale;
                next++;
            }
            customer.Compacted(start, next, currency, scale);
        }
        (Occurred, Recorded, Running, CurrencyAndScale) = (occurred, recorded, running, kinds);
        _recentCount = 0;
    }

    /// <summary>
    /// The index of the first compact fact of <paramref name="customer"/> from <paramref name="from"/> on
    /// that happened after <paramref name="ticks"/>; the end of its slice when none did.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int FirstAfter(AbcCustomer customer, long ticks, int from)
    {
        int low = from,
            high = customer.CompactEnd;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (Occurred[middle] <= ticks)
                low = middle + 1;
            else
                high = middle;
        }
        return low;
    }

    private AbcCustomer Customer(string customerId)
    {
        if (!_byId.TryGetValue(customerId, out var customer))
        {
            customer = new AbcCustomer(customerId);
            _byId.Add(customerId, customer);
            var at =
                _customers.Count == 0 || string.CompareOrdinal(_customers[^1].CustomerId, customerId) < 0
                    ? _customers.Count
                    : ~_customers.BinarySearch(customer, IdOrder.Instance);
            _customers.Insert(at, customer);
        }
        return customer;
    }

    private sealed class IdOrder : IComparer<AbcCustomer>
    {
        public static readonly IdOrder Instance = new();

        public int Compare(AbcCustomer? x, AbcCustomer? y) => string.CompareOrdinal(x!.CustomerId, y!.CustomerId);
    }
}
