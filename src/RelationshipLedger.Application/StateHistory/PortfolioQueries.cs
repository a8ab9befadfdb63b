using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.Application.Abc;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Application.StateHistory;

/// <summary>
/// Portfolio questions answered from the temporal state history (as far as the projection daemon has
/// applied the log), and the owners of one account answered from its folded stream (always exact). The
/// ABC class comes from <paramref name="abc"/>, which the host shares among its queries (one is made
/// when none is given).
/// </summary>
public sealed class PortfolioQueries(
    NpgsqlDataSource dataSource,
    CustomerStateLoader loader,
    AbcRevenueMirror? abc = null,
    LifecycleRules? rules = null
)
{
    private readonly PortfolioAsKnown _asKnown = new(dataSource, loader.Serializer, rules ?? LifecycleRules.Default);
    private readonly AbcRevenueMirror _abc = abc ?? new AbcRevenueMirror(dataSource);
    private PortfolioClassPages? _classPagesMade;

    private PortfolioClassPages ClassPages => _classPagesMade ??= new(dataSource, OrdinalMembers);

    /// <summary>Replaces the database's answer to whether it sorts ids ordinally (tests read pages both ways: <see cref="PortfolioClassPages"/>).</summary>
    public bool? OrdinalMembers { get; init; }

    /// <summary>
    /// A page of the accounts matching <paramref name="query"/> as of its instant, in customer id order.
    /// First a walk in customer order over the next periods after the cursor — at most
    /// <see cref="WalkLength"/> of them, so a page costs the same however rare the matches are — keeps
    /// those that match; when that walk leaves the page short, the rest is read through the
    /// instant index (<c>state_periods_at_instant</c>) from where the walk stopped, and sorted. A page of
    /// an ABC class starts from the class's members, classified in memory (<see cref="PortfolioPlan.Members"/>).
    /// A page as known at an instant (<see cref="PortfolioQuery.KnownAt"/>) takes the accounts unchanged
    /// since then from the read model and folds the others (<see cref="PortfolioAsKnown"/>).
    /// </summary>
    public async Task<PortfolioPage> GetPageAsync(PortfolioQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, PortfolioQuery.MaxLimit);
        var wanted = query.Limit + 1;
        string[]? abcMembers = null;
        List<PortfolioEntry> entries;
        if (query.Abc is { } abcClass)
        {
            abcMembers = (await _abc.ClassifyAsync(query.AsOf, query.KnownAt, cancellationToken)).MembersOf(abcClass);
            entries = await ClassPages.ReadAsync(query, abcMembers, wanted, cancellationToken);
        }
        else
            entries = await WalkThenLookUpAsync(query, wanted, cancellationToken);
        if (query.KnownAt is not null)
            entries = await WithChangedAccountsAsync(query, abcMembers, entries, wanted, cancellationToken);
        if (entries.Count <= query.Limit)
            return new PortfolioPage(query.AsOf, entries, null, query.KnownAt);
        entries.RemoveAt(entries.Count - 1);
        var next = PortfolioCursor.Encode(query.AsOf, query.KnownAt, entries[^1].CustomerId);
        return new PortfolioPage(query.AsOf, entries, next, query.KnownAt);
    }

    /// <summary>The first <paramref name="wanted"/> matches: a walk in customer order, then, when it leaves the page short, a lookup by the instant.</summary>
    private async Task<List<PortfolioEntry>> WalkThenLookUpAsync(
        PortfolioQuery query,
        int wanted,
        CancellationToken cancellationToken
    )
    {
        var walkLength = WalkPeriods ?? WalkLength(query.Limit);
        var walkEnd = await WalkEndAsync(query, walkLength, cancellationToken);
        var walk = PortfolioSql.For(query);
        if (walkEnd is not null)
            walk.IdBound("<", walkEnd);
        var entries = await ReadAsync(
            walk.CreateCommand(dataSource, wanted, PortfolioPlan.Walk, walkLength, query.Owner),
            cancellationToken
        );
        if (walkEnd is not null && entries.Count < wanted)
        {
            var rest = PortfolioSql.For(query);
            rest.IdBound(">=", walkEnd);
            entries.AddRange(
                await ReadAsync(
                    rest.CreateCommand(dataSource, wanted - entries.Count, PortfolioPlan.AllMatchesSorted),
                    cancellationToken
                )
            );
        }
        return entries;
    }

    /// <summary>
    /// The first <paramref name="wanted"/> of the read model's <paramref name="unchanged"/> accounts and
    /// the matching accounts changed since the query's <c>knownAt</c> (up to the last unchanged one when
    /// the page is full: beyond it, they cannot be in the page), in the database's order of customer ids.
    /// </summary>
    private async Task<List<PortfolioEntry>> WithChangedAccountsAsync(
        PortfolioQuery query,
        string[]? abcMembers,
        List<PortfolioEntry> unchanged,
        int wanted,
        CancellationToken cancellationToken
    )
    {
        var through = unchanged.Count == wanted ? unchanged[^1].CustomerId : null;
        var inClass = abcMembers?.ToHashSet(StringComparer.Ordinal);
        var changed = await _asKnown.MatchesAsync(query, inClass, through, wanted, cancellationToken);
        if (changed.Count == 0)
            return unchanged;
        // An account written to during this request may be in both: its fold as known at knownAt answers.
        var folded = changed.Select(c => c.CustomerId).ToHashSet(StringComparer.Ordinal);
        var all = unchanged.Where(u => !folded.Contains(u.CustomerId)).Concat(changed).ToList();
        var order = await DatabaseOrderAsync(all.Select(e => e.CustomerId).ToArray(), cancellationToken);
        return order.Take(wanted).Select(i => all[i]).ToList();
    }

    /// <summary>
    /// The indexes of <paramref name="customerIds"/> sorted as the database sorts ids (its collation, which
    /// the read model's pages and cursors follow, need not be ordinal).
    /// </summary>
    private async Task<List<int>> DatabaseOrderAsync(string[] customerIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "select (i - 1)::int from unnest($1::text[]) with ordinality as t(id, i) order by id"
        );
        command.Parameters.Add(new() { Value = customerIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var order = new List<int>(customerIds.Length);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            order.Add(reader.GetInt32(0));
        return order;
    }

    /// <summary>
    /// How many periods a page walks in customer order before it looks the rest up by the instant:
    /// enough that a question matching more than one period in 160 fills its page by walking, few
    /// enough that the walk stays cheap; the lookup then meets at most about one in 160 of all periods.
    /// </summary>
    public static int WalkLength(int limit) => Math.Max(8000, 160 * (limit + 1));

    /// <summary>Replaces <see cref="WalkLength"/> (tests use a short walk to run both halves of a page).</summary>
    public int? WalkPeriods { get; init; }

    /// <summary>
    /// The customer id <see cref="WalkLength"/> periods on from the cursor (among the owner's periods
    /// when the question names one): the walk stops before it. Null when fewer periods are left.
    /// </summary>
    private async Task<string?> WalkEndAsync(PortfolioQuery query, int walkLength, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand();
        var conditions = new List<string> { "true" };
        if (query.After is { } after)
        {
            command.Parameters.Add(new() { Value = after, NpgsqlDbType = NpgsqlDbType.Text });
            conditions.Add($"customer_id > ${command.Parameters.Count}");
        }
        if (query.Owner is { } owner)
        {
            command.Parameters.Add(new() { Value = owner, NpgsqlDbType = NpgsqlDbType.Text });
            conditions.Add($"owner_id = ${command.Parameters.Count}");
        }
        command.Parameters.Add(new() { Value = walkLength, NpgsqlDbType = NpgsqlDbType.Integer });
        command.CommandText =
            $"select customer_id from ledger.state_periods where {string.Join(" and ", conditions)} "
            + $"order by customer_id offset ${command.Parameters.Count} limit 1";
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    internal static async Task<List<PortfolioEntry>> ReadAsync(
        NpgsqlCommand command,
        CancellationToken cancellationToken
    )
    {
        await using (command)
        {
            var entries = new List<PortfolioEntry>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
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
            return entries;
        }
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
