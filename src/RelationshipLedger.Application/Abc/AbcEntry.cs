namespace RelationshipLedger.Application.Abc;

/// <summary>
/// A customer's entry in the classification: its currency (an index into the classification's currencies),
/// its net revenue in ten-thousandths and the scale it reads with (<see cref="AbcAmounts"/>), its rank and class.
/// </summary>
internal struct AbcEntry(string customerId, int currency, Int128 units, byte scale)
{
    public const int NoCurrency = -1;

    public readonly string CustomerId = customerId;
    public readonly int Currency = currency;
    public readonly Int128 Units = units;
    public readonly byte Scale = scale;
    public long Rank;
    public AbcClass Class;

    public readonly decimal NetRevenue => AbcAmounts.ToDecimal(Units, Scale);
}
