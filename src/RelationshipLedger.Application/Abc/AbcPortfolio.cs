namespace RelationshipLedger.Application.Abc;

/// <summary>The classes of the customer pyramid (domain.md §2.5).</summary>
public enum AbcClass
{
    A,
    B,
    C,
}

/// <summary>
/// A class of one currency's pyramid: how many customers, their revenue (net revenue of those that
/// have any in the window; a customer whose refunds exceed its purchases counts 0, as in the total) and
/// that revenue's share of the currency's total (null when the total is 0).
/// </summary>
public sealed record AbcClassShare(AbcClass Class, int Customers, decimal Revenue, decimal? Share);

/// <summary>
/// The pyramid of one currency: its customers, total revenue and classes A, B, C. The pyramid with a
/// null currency holds the customers without revenue in the window, all C.
/// </summary>
public sealed record AbcPyramid(string? Currency, int Customers, decimal Revenue, IReadOnlyList<AbcClassShare> Classes);

/// <summary>How many customers are in each class, over every currency.</summary>
public sealed record AbcCounts(int A, int B, int C);

/// <summary>A customer's place in its currency's pyramid.</summary>
public sealed record AbcRanking(string CustomerId, string? Currency, decimal NetRevenue, long Rank, AbcClass Class);

/// <summary>
/// The ABC portfolio as of an instant (and, when <see cref="KnownAt"/> is given, with only the facts recorded
/// by then): every customer registered by then counted, the pyramid of each currency, and a page of customers
/// (of one class, or all) in (currency, rank) order.
/// </summary>
public sealed record AbcPortfolio(
    DateTimeOffset AsOf,
    DateTimeOffset? KnownAt,
    int Customers,
    AbcCounts Counts,
    IReadOnlyList<AbcPyramid> Pyramids,
    AbcClass? Class,
    IReadOnlyList<AbcRanking> Items,
    string? Next
);
