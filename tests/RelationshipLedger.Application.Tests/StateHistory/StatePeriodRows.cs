using System.Globalization;
using Npgsql;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.StateHistory;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Application.Tests.StateHistory;

/// <summary>The rows of <c>ledger.state_periods</c> as readable lines, and waiting for the daemon to apply the log.</summary>
public static class StatePeriodRows
{
    /// <summary>One customer's periods, oldest first: <c>[from, to) tier stage owner</c> (to "∞" when open).</summary>
    public static async Task<IReadOnlyList<string>> OfAsync(NpgsqlDataSource dataSource, string customerId)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand(
            "select lower(valid_during), upper(valid_during), tier, stage, owner_id "
                + "from ledger.state_periods where customer_id = $1 order by lower(valid_during)"
        );
        command.Parameters.AddWithValue(customerId);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
            lines.Add(
                Line(
                    reader.GetDateTime(0),
                    reader.IsDBNull(1) ? null : reader.GetDateTime(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4)
                )
            );
        return lines;
    }

    public static string Line(DateTime from, DateTime? to, string tier, string stage, string? owner) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"[{from:yyyy-MM-ddTHH:mm:ss.ffffff}, {(to is { } t ? t.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture) : "∞")}) {tier} {stage} {owner ?? "-"}"
        );

    /// <summary>The lines of <paramref name="customerId"/>'s periods as its whole stream, folded from version 1, gives them.</summary>
    /// <summary>The distinct names the customer's rows carry, joined by " | " (null when it has none).</summary>
    public static async Task<string?> NamesAsync(NpgsqlDataSource dataSource, string customerId)
    {
        await using var names = dataSource.CreateCommand(
            "select string_agg(distinct name, ' | ') from ledger.state_periods where customer_id = $1"
        );
        names.Parameters.AddWithValue(customerId);
        return await names.ExecuteScalarAsync() as string;
    }

    public static async Task<IReadOnlyList<string>> ExpectedAsync(Ledger ledger, string customerId)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var state = (await ledger.Loader.LoadAsync(customerId, TimeTravel.Now)).State;
        return StatePeriods
            .Of(state, Domain.Rules.LifecycleRules.Default)
            .Select(p => Line(p.From.UtcDateTime, p.To?.UtcDateTime, p.Tier.ToString(), p.Stage.ToString(), p.OwnerId))
            .ToList();
    }

    /// <summary>Waits until the daemon has registered the state history and applied every event of its types.</summary>
    public static Task CaughtUpAsync(NpgsqlDataSource dataSource) =>
        RunningDaemon.CaughtUpAsync(dataSource, StateHistoryProjection.ProjectionName);
}
