using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Application.Overview;

/// <summary>
/// The stage the overview row last recorded — at its version, as of its <c>updated_at</c> — read back
/// as a <see cref="StageMark"/> so the next evaluation continues from it instead of replaying the
/// whole history. A row written under other rules is not used.
/// </summary>
internal static class OverviewStageMark
{
    private const string Sql =
        "select version, updated_at, lifecycle_stage, stage_since, rules_version "
        + "from ledger.customer_overview where customer_id = $1";

    /// <summary>Runs the query on <paramref name="command"/> (fresh from a data source or a transaction's connection).</summary>
    public static async Task<StageMark?> ReadAsync(
        NpgsqlCommand command,
        string customerId,
        LifecycleRules rules,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(rules);
        command.CommandText = Sql;
        command.Parameters.Add(new() { Value = customerId, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || reader.GetString(4) != rules.Version)
            return null;
        return new StageMark(
            reader.GetInt64(0),
            reader.GetFieldValue<DateTimeOffset>(1),
            Enum.Parse<LifecycleStage>(reader.GetString(2)),
            reader.GetFieldValue<DateTimeOffset>(3)
        );
    }
}
