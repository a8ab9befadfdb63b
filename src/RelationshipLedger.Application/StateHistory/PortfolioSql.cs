using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.Application.Abc;

namespace RelationshipLedger.Application.StateHistory;

/// <summary>
/// The portfolio page's SQL, built from the filters given: only the conditions asked for are in the
/// statement, so the planner picks the index that fits them. The ABC class, whose read model is
/// time-dependent and kept elsewhere, is a join with <c>ledger.abc_classes_at</c> at the same instant;
/// the rows of <c>ledger.state_periods</c> are aliased <c>p</c>.
/// </summary>
public sealed class PortfolioSql
{
    private readonly List<string> _joins = [];
    private readonly List<string> _conditions = [];
    private readonly List<NpgsqlParameter> _parameters = [];

    /// <summary>A parameter placeholder (<c>$n</c>) for <paramref name="value"/>.</summary>
    public string Parameter(object value, NpgsqlDbType type)
    {
        _parameters.Add(new() { Value = value, NpgsqlDbType = type });
        return $"${_parameters.Count}";
    }

    public PortfolioSql Join(string join)
    {
        _joins.Add(join);
        return this;
    }

    public PortfolioSql Where(string condition)
    {
        _conditions.Add(condition);
        return this;
    }

    /// <summary>The statement for <paramref name="query"/>: one row more than the limit tells whether a next page exists.</summary>
    public static PortfolioSql For(PortfolioQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new PortfolioSql();
        var asOf = sql.Parameter(query.AsOf.UtcDateTime, NpgsqlDbType.TimestampTz);
        sql.Where($"p.valid_during @> {asOf}");
        if (query.After is { } after)
            sql.Where($"p.customer_id > {sql.Parameter(after, NpgsqlDbType.Text)}");
        if (query.Tier is { } tier)
            sql.Where($"p.tier = {sql.Parameter(tier.ToString(), NpgsqlDbType.Text)}");
        if (query.Stage is { } stage)
            sql.Where($"p.stage = {sql.Parameter(stage.ToString(), NpgsqlDbType.Text)}");
        if (query.Owner is { } owner)
            sql.Where($"p.owner_id = {sql.Parameter(owner, NpgsqlDbType.Text)}");
        if (query.Abc is { } abc)
            sql.Join($"join {AbcClassifier.FunctionName}({asOf}) a on a.customer_id = p.customer_id")
                .Where($"a.abc_class = {sql.Parameter(abc.ToString(), NpgsqlDbType.Text)}");
        return sql;
    }

    /// <summary>
    /// The first <paramref name="rows"/> matching rows in customer id order. <see cref="PortfolioPlan.Walk"/>
    /// lets the planner walk an index in customer order and stop early; <see cref="PortfolioPlan.AllMatchesSorted"/>
    /// collects every match first (a materialized CTE the limit cannot reach into), so the planner
    /// picks the index that finds them, and sorts them.
    /// </summary>
    public NpgsqlCommand CreateCommand(NpgsqlDataSource dataSource, int rows, PortfolioPlan plan)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var limitParameter = Parameter(rows, NpgsqlDbType.Integer);
        var select =
            "select p.customer_id, p.name, p.tier, p.stage, p.owner_id, lower(p.valid_during) as since, "
            + "upper(p.valid_during) as until, p.tier_since, p.stage_since, p.owner_since "
            + $"from ledger.state_periods p {string.Join(' ', _joins)} "
            + $"where {string.Join(" and ", _conditions)}";
        var command = dataSource.CreateCommand(
            plan == PortfolioPlan.Walk
                ? $"{select} order by p.customer_id limit {limitParameter}"
                : $"with matches as materialized ({select}) select * from matches order by customer_id limit {limitParameter}"
        );
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
}
