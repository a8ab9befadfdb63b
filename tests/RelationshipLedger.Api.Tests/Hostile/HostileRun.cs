using System.Globalization;
using Npgsql;

namespace RelationshipLedger.Api.Tests.Hostile;

/// <summary>What the hostile-input tests share: their seed, and the count of events they must leave unchanged.</summary>
internal static class HostileRun
{
    /// <summary><c>LEDGER_HOSTILE_SEED</c> when set (to reproduce or vary a run), else <paramref name="fallback"/>.</summary>
    public static int Seed(int fallback) =>
        Environment.GetEnvironmentVariable("LEDGER_HOSTILE_SEED") is { Length: > 0 } seed
            ? int.Parse(seed, CultureInfo.InvariantCulture)
            : fallback;

    public static async Task<long> CountEventsAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("select count(*) from ledger.events");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
