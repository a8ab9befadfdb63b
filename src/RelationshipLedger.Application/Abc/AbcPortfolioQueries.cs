using Npgsql;
using NpgsqlTypes;

namespace RelationshipLedger.Application.Abc;

/// <summary>
/// The ABC portfolio as of an instant, from <c>ledger.abc_classes_at</c>: the pyramids and one page
/// of customers, with the function evaluated once, in one round trip.
/// </summary>
public sealed class AbcPortfolioQueries(NpgsqlDataSource dataSource)
{
    // One evaluation of the classification feeds both parts: the counts and revenue of each
    // (currency, class), and the page after the cursor in (currency nulls last, rank) order.
    private const string PortfolioSql = """
        with classes as materialized (select * from ledger.abc_classes_at($1, coalesce($7, 'infinity'::timestamptz)))
        select false as in_page, null::text as customer_id, currency, abc_class,
               count(*) as customers, sum(greatest(net_revenue, 0)) as revenue, null::bigint as rank
        from classes
        group by currency, abc_class
        union all
        (select true, customer_id, currency, abc_class, 1, net_revenue, rank
         from classes
         where ($2::text is null or abc_class = $2)
           and (currency is null, coalesce(currency, ''), rank) > ($3::boolean, $4::text, $5::bigint)
         order by currency is null, currency, rank
         limit $6)
        """;

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
        await using var command = dataSource.CreateCommand(PortfolioSql);
        command.Parameters.Add(new() { Value = asOf.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(
            new() { Value = (object?)abcClass?.ToString() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text }
        );
        command.Parameters.Add(new() { Value = after is { Currency: null }, NpgsqlDbType = NpgsqlDbType.Boolean });
        command.Parameters.Add(new() { Value = after?.Currency ?? string.Empty, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = after?.Rank ?? 0L, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = limit + 1, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(
            new() { Value = (object?)knownAt?.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz }
        );

        var groups = new List<(string? Currency, AbcClass Class, int Customers, decimal Revenue)>();
        var items = new List<AbcRanking>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var currency = reader.IsDBNull(2) ? null : reader.GetString(2);
                var rowClass = Enum.Parse<AbcClass>(reader.GetString(3));
                if (reader.GetBoolean(0))
                    items.Add(
                        new AbcRanking(
                            reader.GetString(1),
                            currency,
                            reader.GetDecimal(5),
                            reader.GetInt64(6),
                            rowClass
                        )
                    );
                else
                    groups.Add((currency, rowClass, (int)reader.GetInt64(4), reader.GetDecimal(5)));
            }
        }
        items.Sort(InPageOrder);
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
        List<(string? Currency, AbcClass Class, int Customers, decimal Revenue)> groups,
        AbcClass abcClass
    ) => groups.Where(g => g.Class == abcClass).Sum(g => g.Customers);

    /// <summary>A pyramid per currency in ordinal order, the one without currency last; every class listed.</summary>
    private static List<AbcPyramid> Pyramids(
        List<(string? Currency, AbcClass Class, int Customers, decimal Revenue)> groups
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

    private static int InPageOrder(AbcRanking x, AbcRanking y)
    {
        var byGroup = (x.Currency is null).CompareTo(y.Currency is null);
        if (byGroup != 0)
            return byGroup;
        var byCurrency = string.CompareOrdinal(x.Currency, y.Currency);
        return byCurrency != 0 ? byCurrency : x.Rank.CompareTo(y.Rank);
    }
}
