namespace RelationshipLedger.Domain.Rules;

/// <summary>
/// How many of a customer's facts lie at or before an instant, and at or before the starts of its recent
/// window (instant − W) and of its previous window (instant − 2W): every input the lifecycle rules read at
/// that instant is a prefix sum or an element at one of these counts (<see cref="CustomerFacts"/>).
/// </summary>
internal readonly record struct FactCounts(
    int Purchases,
    int PurchasesBeforeRecent,
    int PurchasesBeforePrevious,
    int Refunds,
    int RefundsBeforeRecent,
    int RefundsBeforePrevious,
    int Ratings,
    int LifecycleEvents
)
{
    /// <summary>The purchases in the two windows (instant − 2W, instant].</summary>
    public int PurchasesInTwoWindows => Purchases - PurchasesBeforePrevious;
}
