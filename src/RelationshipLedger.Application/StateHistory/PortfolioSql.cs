using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.Application.Abc;

namespace RelationshipLedger.Application.StateHistory;

/// <summary>
/// The portfolio page's SQL, built from the filters given: only the conditions asked for are in the
/// statement, so the planner picks the index that fits them. The ABC class, which depends on the whole
/// portfolio at the instant asked about, is classified in memory (<see cref="AbcRevenueMirror"/>) and
/// comes in as the class's members (<see cref="PortfolioPlan.Members"/>); the rows of
/// <c>ledger.state_periods</c> are aliased <c>p</c>.
/// </summary>
public sealed class PortfolioSql
{
    private readonly List<string> _conditions = [];
    private readonly List<(string Operator, string Placeholder)> _idBounds = [];
    private readonly List<NpgsqlParameter> _parameters = [];
    private string? _members;

    /// <summary>A parameter placeholder (<c>$n</c>) for <paramref name="value"/>.</summary>
    public string Parameter(object value, NpgsqlDbType type)
    {
        _parameters.Add(new() { Value = value, NpgsqlDbType = type });
        return $"${_parameters.Count}";
    }

    public PortfolioSql Where(string condition)
    {
        _conditions.Add(condition);
        return this;
    }

    /// <summary>
    /// Keeps the rows whose text <paramref name="column"/> equals <paramref name="value"/>, asked by its
    /// 64-bit hash too: the at-instant index compares the hashes (migration 1015), the text decides.
    /// </summary>
    public PortfolioSql WhereEquals(string column, string value)
    {
        var parameter = Parameter(value, NpgsqlDbType.Text);
        return Where($"{column} = {parameter} and hashtextextended({column}, 0) = hashtextextended({parameter}, 0)");
    }

    /// <summary>
    /// Keeps the customer ids <paramref name="comparison"/> (<c>&gt;</c>, <c>&lt;</c>, <c>&gt;=</c>)
    /// <paramref name="customerId"/>. Kept apart from the other conditions: a lookup of every match applies
    /// it to the matches found, so that no index on the id joins in to find them.
    /// </summary>
    public PortfolioSql IdBound(string comparison, string customerId)
    {
        _idBounds.Add((comparison, Parameter(customerId, NpgsqlDbType.Text)));
        return this;
    }

    /// <summary>
    /// The statement for <paramref name="query"/>: one row more than the limit tells whether a next page exists.
    /// <paramref name="abcMembers"/>, required when the query asks for an ABC class, are the customers of
    /// that class at the query's instant (<see cref="AbcClassification.MembersOf"/>).
    /// </summary>
    public static PortfolioSql For(PortfolioQuery query, string[]? abcMembers = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new PortfolioSql();
        var asOf = sql.Parameter(query.AsOf.UtcDateTime, NpgsqlDbType.TimestampTz);
        sql.Where($"p.valid_during @> {asOf}");
        if (query.After is { } after)
            sql.IdBound(">", after);
        if (query.Tier is { } tier)
            sql.WhereEquals("p.tier", tier.ToString());
        if (query.Stage is { } stage)
            sql.WhereEquals("p.stage", stage.ToString());
        if (query.Owner is { } owner)
            sql.WhereEquals("p.owner_id", owner);
        if (query.KnownAt is { } known)
        {
            // The read model answers for the accounts that recorded nothing after knownAt (PortfolioAsKnown).
            var knownAt = sql.Parameter(known.UtcDateTime, NpgsqlDbType.TimestampTz);
            sql.Where(
                $"not exists (select 1 from ledger.streams s where s.id = p.customer_id and s.updated_at > {knownAt})"
            );
        }
        if (query.Abc is not null)
        {
            ArgumentNullException.ThrowIfNull(abcMembers);
            sql._members = sql.Parameter(abcMembers, NpgsqlDbType.Array | NpgsqlDbType.Text);
        }
        return sql;
    }

    /// <summary>
    /// The first <paramref name="rows"/> matching rows in customer id order.
    /// <see cref="PortfolioPlan.Walk"/> reads at most <paramref name="walkPeriods"/> periods in customer
    /// order (of <paramref name="owner"/>'s, when given) within the id bounds — an ordered, limited
    /// subquery, so the planner can only walk the index — and keeps the matches.
    /// <see cref="PortfolioPlan.AllMatchesSorted"/> collects every match first (a materialized CTE the
    /// limit cannot reach into), so the planner picks the index that finds them, then bounds and sorts them.
    /// <see cref="PortfolioPlan.Members"/> joins the ABC class's members to their periods.
    /// </summary>
    public NpgsqlCommand CreateCommand(
        NpgsqlDataSource dataSource,
        int rows,
        PortfolioPlan plan,
        int walkPeriods = int.MaxValue,
        string? owner = null
    )
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var limitParameter = Parameter(rows, NpgsqlDbType.Integer);
        const string columns =
            "p.customer_id, p.name, p.tier, p.stage, p.owner_id, lower(p.valid_during) as since, "
            + "upper(p.valid_during) as until, p.tier_since, p.stage_since, p.owner_since";
        string Bounds(string column) =>
            string.Concat(_idBounds.Select(b => $" and {column} {b.Operator} {b.Placeholder}"));
        var conditions = string.Join(" and ", _conditions);
        string sql;
        if (plan == PortfolioPlan.Members)
            sql =
                $"select {columns} from unnest({_members ?? throw new InvalidOperationException("The query asks for no ABC class.")}::text[]) as m(id) "
                + $"join ledger.state_periods p on p.customer_id = m.id where {conditions}{Bounds("p.customer_id")} "
                + $"order by p.customer_id limit {limitParameter}";
        else if (plan == PortfolioPlan.Walk)
        {
            var ownerCondition = owner is null ? "" : $" and w.owner_id = {Parameter(owner, NpgsqlDbType.Text)}";
            var walk =
                $"select * from ledger.state_periods w where true{ownerCondition}{Bounds("w.customer_id")} "
                + $"order by w.customer_id limit {Parameter(walkPeriods, NpgsqlDbType.Integer)}";
            sql =
                $"select {columns} from ({walk}) p where {conditions} "
                + $"order by p.customer_id limit {limitParameter}";
        }
        else
            sql =
                $"with matches as materialized (select {columns} from ledger.state_periods p where {conditions}) "
                + $"select * from matches where true{Bounds("customer_id")} order by customer_id limit {limitParameter}";
        var command = dataSource.CreateCommand(sql);
        foreach (var parameter in _parameters)
            command.Parameters.Add(parameter);
        return command;
    }
}

/// <summary>How a portfolio statement reaches its rows (<see cref="PortfolioSql.CreateCommand"/>).</summary>
public enum PortfolioPlan
{
    Walk,
    AllMatchesSorted,

    /// <summary>
    /// From the ABC class's members: PostgreSQL either probes their periods in id order until the page is
    /// full, or filters the matches at the instant by a hash of the members, whichever its estimates favour.
    /// </summary>
    Members,
}
