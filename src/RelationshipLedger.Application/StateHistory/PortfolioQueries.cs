using Npgsql;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Application.StateHistory;

/// <summary>
/// Portfolio questions answered from the temporal state history (as far as the projection daemon has
/// applied the log), and the owners of one account answered from its folded stream (always exact).
/// </summary>
public sealed class PortfolioQueries(NpgsqlDataSource dataSource, CustomerStateLoader loader)
{
    /// <summary>A page of the accounts matching <paramref name="query"/> as of its instant, in customer id order.</summary>
    public async Task<PortfolioPage> GetPageAsync(PortfolioQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, PortfolioQuery.MaxLimit);
        await using var command = PortfolioSql.For(query).CreateCommand(dataSource, query.Limit);
        var entries = new List<PortfolioEntry>(query.Limit + 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                entries.Add(
                    new PortfolioEntry(
                        reader.GetString(0),
                        reader.GetString(1),
                        Enum.Parse<RelationshipTier>(reader.GetString(2)),
                        Enum.Parse<LifecycleStage>(reader.GetString(3)),
                        reader.IsDBNull(4) ? null : reader.GetString(4),
                        Utc(reader.GetDateTime(5)),
                        reader.IsDBNull(6) ? null : Utc(reader.GetDateTime(6)),
                        Utc(reader.GetDateTime(7)),
                        Utc(reader.GetDateTime(8)),
                        reader.IsDBNull(9) ? null : Utc(reader.GetDateTime(9))
                    )
                );
        }
        if (entries.Count <= query.Limit)
            return new PortfolioPage(query.AsOf, entries, null);
        entries.RemoveAt(entries.Count - 1);
        return new PortfolioPage(query.AsOf, entries, PortfolioCursor.Encode(query.AsOf, entries[^1].CustomerId));
    }

    /// <summary>
    /// Who owned the account and when, from its stream folded as <paramref name="travel"/> sees it
    /// (null when the customer did not exist then): each assignment in business-time order, ties by version.
    /// </summary>
    public async Task<IReadOnlyList<OwnerTenure>?> GetOwnersAsync(
        string customerId,
        TimeTravel travel,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(travel);
        var loaded = await loader.LoadAsync(customerId, travel, cancellationToken);
        if (!loaded.State.IsRegistered)
            return null;
        var assignments = loaded.State.Owners.OrderBy(o => o.Moment.At).ThenBy(o => o.Moment.Version).ToArray();
        var tenures = new List<OwnerTenure>(assignments.Length);
        for (var i = 0; i < assignments.Length; i++)
        {
            var assignment = assignments[i];
            DateTimeOffset? to = i + 1 < assignments.Length ? assignments[i + 1].Moment.At : null;
            if (to == assignment.Moment.At)
                continue;
            tenures.Add(
                new OwnerTenure(
                    assignment.OwnerId,
                    assignment.Moment.At,
                    to,
                    assignment.Reason,
                    assignment.Moment.Version
                )
            );
        }
        return tenures;
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
