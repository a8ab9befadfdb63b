namespace RelationshipLedger.Application.Abc;

/// <summary>
/// Amounts as whole ten-thousandths in integers, which the classification adds, subtracts and compares
/// exactly and far faster than decimals. The ledger's rules hold every amount to at most four decimal places
/// and at most 10^12 (FieldRules), so an amount fits a <see cref="long"/> and any sum of them an
/// <see cref="Int128"/>. Each amount keeps its scale, so that a sum reads as the database's sum does
/// (12.50 + 3.25 = 15.75, not 15.7500).
/// </summary>
internal static class AbcAmounts
{
    public const int Decimals = 4;
    private const decimal Largest = 1_000_000_000_000m;

    private static readonly long[] PowersOfTen = [1, 10, 100, 1_000, 10_000];

    /// <summary>The amount in ten-thousandths, and its scale; an amount the ledger's rules refuse is an error in the read model.</summary>
    public static (long Units, byte Scale) ToUnits(decimal amount)
    {
        if (amount.Scale > Decimals || Math.Abs(amount) > Largest)
            throw new InvalidOperationException(
                $"ledger.abc_revenue holds the amount {amount}, which the ledger's rules refuse (at most {Decimals} decimal places and {Largest})."
            );
        return (decimal.ToInt64(amount * PowersOfTen[Decimals]), amount.Scale);
    }

    /// <summary>
    /// The sum <paramref name="units"/> as a decimal of <paramref name="scale"/> places — exact, since every
    /// amount in the sum had at most that many.
    /// </summary>
    public static decimal ToDecimal(Int128 units, byte scale)
    {
        var digits = units / PowersOfTen[Decimals - scale];
        var magnitude = (UInt128)(digits < 0 ? -digits : digits);
        var low = (ulong)magnitude;
        return new decimal((int)(uint)low, (int)(uint)(low >> 32), (int)(uint)(magnitude >> 64), digits < 0, scale);
    }
}
