namespace RelationshipLedger.Application.Abc;

/// <summary>
/// The ABC portfolio as of an instant: the pyramids and one page of customers, from one classification
/// of the whole portfolio in memory (<see cref="AbcRevenueMirror"/>).
/// </summary>
public sealed class AbcPortfolioQueries(AbcRevenueMirror mirror)
{
    /// <summary>The portfolio as of <paramref name="asOf"/>, as known at <paramref name="knownAt"/> (null: now).</summary>
    public async Task<AbcPortfolio> GetAsync(
        DateTimeOffset asOf,
        DateTimeOffset? knownAt,
        AbcClass? abcClass,
        int limit,
        AbcCursor? after,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var classification = await mirror.ClassifyAsync(asOf, knownAt, cancellationToken);
        var groups = classification.Groups();
        var items = classification.Page(abcClass, after, limit + 1);
        string? next = null;
        if (items.Count > limit)
        {
            items.RemoveAt(limit);
            next = new AbcCursor(items[^1].Currency, items[^1].Rank).Encode();
        }
        return new AbcPortfolio(
            asOf,
            knownAt,
            groups.Sum(g => g.Customers),
            new AbcCounts(CountOf(groups, AbcClass.A), CountOf(groups, AbcClass.B), CountOf(groups, AbcClass.C)),
            Pyramids(groups),
            abcClass,
            items,
            next
        );
    }

    private static int CountOf(
        IReadOnlyList<(string? Currency, AbcClass Class, int Customers, decimal Revenue)> groups,
        AbcClass abcClass
    ) => groups.Where(g => g.Class == abcClass).Sum(g => g.Customers);

    /// <summary>A pyramid per currency in ordinal order, the one without currency last; every class listed.</summary>
    private static List<AbcPyramid> Pyramids(
        IReadOnlyList<(string? Currency, AbcClass Class, int Customers, decimal Revenue)> groups
    ) =>
        [
            .. groups
                .GroupBy(g => g.Currency)
                .OrderBy(p => p.Key is null)
                .ThenBy(p => p.Key, StringComparer.Ordinal)
                .Select(p =>
                {
                    var total = p.Sum(g => g.Revenue);
                    return new AbcPyramid(
                        p.Key,
                        p.Sum(g => g.Customers),
                        total,
                        [
                            .. Enum.GetValues<AbcClass>()
                                .Select(c =>
                                {
                                    var revenue = p.Where(g => g.Class == c).Sum(g => g.Revenue);
                                    return new AbcClassShare(
                                        c,
                                        p.Where(g => g.Class == c).Sum(g => g.Customers),
                                        revenue,
                                        total == 0
                                            ? null
                                            : Math.Round(revenue / total, 6, MidpointRounding.AwayFromZero)
                                    );
                                }),
                        ]
                    );
                }),
        ];
}
