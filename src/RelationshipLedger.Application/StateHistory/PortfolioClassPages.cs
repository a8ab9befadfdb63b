using Npgsql;

namespace RelationshipLedger.Application.StateHistory;

/// <summary>
/// The pages of an ABC class: the class's members, classified in memory and in ordinal id order, joined to
/// their periods (<see cref="PortfolioPlan.Members"/>). When the database sorts the periods' ids ordinally
/// too (collation C or POSIX; ids are ASCII), the members after the cursor go in chunks — twice the page,
/// then four times the chunk before — until the page is full, so a page sends about as many members as it
/// needs. Otherwise all of them go at once, and PostgreSQL puts them in its own order.
/// </summary>
internal sealed class PortfolioClassPages(NpgsqlDataSource dataSource, bool? sortsIdsOrdinally)
{
    private bool? _sortsIdsOrdinally = sortsIdsOrdinally;

    /// <summary>The first <paramref name="wanted"/> matches of <paramref name="query"/> among <paramref name="members"/>.</summary>
    public async Task<List<PortfolioEntry>> ReadAsync(
        PortfolioQuery query,
        string[] members,
        int wanted,
        CancellationToken cancellationToken
    )
    {
        if (!await SortsIdsOrdinallyAsync(cancellationToken))
            return await PortfolioQueries.ReadAsync(
                PortfolioSql.For(query, members).CreateCommand(dataSource, wanted, PortfolioPlan.Members),
                cancellationToken
            );
        var entries = new List<PortfolioEntry>();
        var next = query.After is null ? 0 : FirstAfter(members, query.After);
        for (var size = 2 * wanted; next < members.Length && entries.Count < wanted; size *= 4)
        {
            var chunk = members[next..Math.Min(members.Length, next + size)];
            next += chunk.Length;
            entries.AddRange(
                await PortfolioQueries.ReadAsync(
                    PortfolioSql
                        .For(query, chunk)
                        .CreateCommand(dataSource, wanted - entries.Count, PortfolioPlan.Members),
                    cancellationToken
                )
            );
        }
        return entries;
    }

    /// <summary>The index of the first of the ordinally sorted <paramref name="ids"/> after <paramref name="after"/>.</summary>
    private static int FirstAfter(string[] ids, string after)
    {
        var at = Array.BinarySearch(ids, after, StringComparer.Ordinal);
        return at >= 0 ? at + 1 : ~at;
    }

    private async Task<bool> SortsIdsOrdinallyAsync(CancellationToken cancellationToken)
    {
        if (_sortsIdsOrdinally is { } known)
            return known;
        await using var command = dataSource.CreateCommand(
            "select case c.collname when 'default' then d.datcollate else c.collname end in ('C', 'POSIX') "
                + "from pg_attribute a join pg_collation c on c.oid = a.attcollation "
                + "join pg_database d on d.datname = current_database() "
                + "where a.attrelid = 'ledger.state_periods'::regclass and a.attname = 'customer_id'"
        );
        _sortsIdsOrdinally = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        return _sortsIdsOrdinally.Value;
    }
}
