using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.Application.Abc;
using RelationshipLedger.Application.StateHistory;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>
/// One portfolio question of the benchmark: the filters of <c>GET /customers</c>, asked of the read
/// model as of an instant, and the same filters asked of the baseline's plain snapshot table.
/// </summary>
internal sealed record PortfolioQuestion(
    string Label,
    RelationshipTier? Tier = null,
    LifecycleStage? Stage = null,
    string? Owner = null,
    AbcClass? Abc = null
)
{
    public const int PageSize = PortfolioQuery.DefaultLimit;

    public static IReadOnlyList<PortfolioQuestion> All { get; } =
    [
        new("every account"),
        new("tier=Transactional&stage=Growth", RelationshipTier.Transactional, LifecycleStage.Growth),
        new("stage=Decline", Stage: LifecycleStage.Decline),
        new("owner=owner-chen", Owner: "owner-chen"),
        new("abc=A", Abc: AbcClass.A),
        new("stage=Growth&abc=B", Stage: LifecycleStage.Growth, Abc: AbcClass.B),
    ];

    public PortfolioQuery ToQuery(DateTimeOffset asOf, string? after) => new(asOf, Tier, Stage, Owner, after, Abc: Abc);

    /// <summary>The same page from <paramref name="table"/> (current values only, no periods): the raw baseline.</summary>
    public NpgsqlCommand BaselineCommand(NpgsqlDataSource dataSource, string table, string? after)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var command = dataSource.CreateCommand();
        var conditions = Conditions(command, after);
        command.CommandText =
            "select customer_id, name, tier, stage, owner_id, since, tier_since, stage_since, owner_since "
            + $"from {table} where {conditions} order by customer_id limit {PageSize + 1}";
        return command;
    }

    /// <summary>How many rows of <paramref name="table"/> match (every page of the question).</summary>
    public NpgsqlCommand CountCommand(NpgsqlDataSource dataSource, string table)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var command = dataSource.CreateCommand();
        command.CommandText = $"select count(*) from {table} where {Conditions(command, null)}";
        return command;
    }

    private string Conditions(NpgsqlCommand command, string? after)
    {
        var conditions = new List<string> { "true" };
        void Add(string column, string? value)
        {
            if (value is null)
                return;
            command.Parameters.Add(new() { Value = value, NpgsqlDbType = NpgsqlDbType.Text });
            conditions.Add($"{column} = ${command.Parameters.Count}");
        }
        Add("tier", Tier?.ToString());
        Add("stage", Stage?.ToString());
        Add("owner_id", Owner);
        Add("abc_class", Abc?.ToString());
        if (after is not null)
        {
            command.Parameters.Add(new() { Value = after, NpgsqlDbType = NpgsqlDbType.Text });
            conditions.Add($"customer_id > ${command.Parameters.Count}");
        }
        return string.Join(" and ", conditions);
    }
}
