namespace RelationshipLedger.Application.Abc;

/// <summary>
/// One revenue fact: when it happened and when it was recorded (UTC ticks), its signed amount in
/// ten-thousandths with the scale it was written with (<see cref="AbcAmounts"/>), and its currency.
/// </summary>
internal readonly record struct AbcFact(long OccurredTicks, long RecordedTicks, long Units, byte Scale, int Currency);

/// <summary>
/// A customer's registration and where its revenue facts are: a slice of <see cref="AbcFactsInMemory"/>'s compact
/// arrays, and the facts read since they were last compacted (<see cref="Recent"/>), each part in
/// business-time order.
/// </summary>
internal sealed class AbcCustomer(string customerId)
{
    /// <summary>The value of <see cref="CompactCurrency"/> and <see cref="CompactScale"/> when the compact facts differ in it (or there are none).</summary>
    public const int Mixed = -1;

    private AbcFact[] _recent = [];
    private int _recentCount;

    public string CustomerId { get; } = customerId;

    /// <summary>The registration's business instant; <see cref="long.MaxValue"/> until the registration is read.</summary>
    public long RegisteredTicks { get; private set; } = long.MaxValue;

    /// <summary>When the registration was recorded; <see cref="long.MaxValue"/> until it is read.</summary>
    public long RegistrationRecordedTicks { get; private set; } = long.MaxValue;

    public int CompactStart { get; private set; }

    public int CompactEnd { get; private set; }

    /// <summary>The currency of every compact fact, or <see cref="Mixed"/>.</summary>
    public int CompactCurrency { get; private set; } = Mixed;

    /// <summary>The scale of every compact fact, or <see cref="Mixed"/>.</summary>
    public int CompactScale { get; private set; } = Mixed;

    public ReadOnlySpan<AbcFact> Recent => _recent.AsSpan(0, _recentCount);

    public void Register(long registeredTicks, long recordedTicks)
    {
        RegisteredTicks = registeredTicks;
        RegistrationRecordedTicks = recordedTicks;
    }

    /// <summary>Adds a fact after those that happened at the same instant or before.</summary>
    public void AddRecent(AbcFact fact)
    {
        if (_recentCount == _recent.Length)
            Array.Resize(ref _recent, Math.Max(2, _recentCount * 2));
        var at = _recentCount;
        while (at > 0 && _recent[at - 1].OccurredTicks > fact.OccurredTicks)
            at--;
        Array.Copy(_recent, at, _recent, at + 1, _recentCount - at);
        _recent[at] = fact;
        _recentCount++;
    }

    /// <summary>The customer's facts now fill <paramref name="start"/> to <paramref name="end"/> of the compact arrays.</summary>
    public void Compacted(int start, int end, int currency, int scale)
    {
        (CompactStart, CompactEnd, CompactCurrency, CompactScale) = (start, end, currency, scale);
        _recent = [];
        _recentCount = 0;
    }
}
