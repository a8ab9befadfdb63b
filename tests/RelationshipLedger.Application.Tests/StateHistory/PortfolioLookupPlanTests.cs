using Npgsql;
using RelationshipLedger.Application.StateHistory;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Application.Tests.StateHistory;

/// <summary>
/// The portfolio's lookup asks by the hashes the at-instant index compares (migration 1015): asked by the
/// texts alone, the index could not answer it, and every lookup would read the whole table.
/// </summary>
public sealed class PortfolioLookupPlanTests : IAsyncLifetime
{
    private Ledger _ledger = null!;

    public async Task InitializeAsync() => _ledger = await Ledger.CreateAsync();

    public async Task DisposeAsync() => await _ledger.DisposeAsync();

    [Theory]
    [InlineData(RelationshipTier.Transactional, null, null)]
    [InlineData(null, LifecycleStage.Decline, null)]
    [InlineData(null, null, "owner-chen")]
    [InlineData(RelationshipTier.Transactional, LifecycleStage.Growth, "owner-chen")]
    public async Task The_lookup_of_a_tier_stage_or_owner_at_an_instant_goes_through_the_at_instant_index(
        RelationshipTier? tier,
        LifecycleStage? stage,
        string? owner
    )
    {
        var query = new PortfolioQuery(DateTimeOffset.UtcNow.AddDays(-30), tier, stage, owner);
        await using var lookup = PortfolioSql
            .For(query)
            .CreateCommand(_ledger.Database.DataSource, query.Limit + 1, PortfolioPlan.AllMatchesSorted);

        var plan = await ExplainAsync(lookup);

        Assert.Contains("state_periods_at_instant", plan, StringComparison.Ordinal);
        Assert.Contains("hashtextextended", plan, StringComparison.Ordinal);
    }

    /// <summary>The statement's plan with sequential scans priced out, as on a table large enough for indexes to pay.</summary>
    private async Task<string> ExplainAsync(NpgsqlCommand command)
    {
        await using var connection = await _ledger.Database.DataSource.OpenConnectionAsync();
        await using (var setting = new NpgsqlCommand("set enable_seqscan = off", connection))
            await setting.ExecuteNonQueryAsync();
        await using var explain = new NpgsqlCommand("explain " + command.CommandText, connection);
        foreach (NpgsqlParameter parameter in command.Parameters)
            explain.Parameters.Add(new() { Value = parameter.Value, NpgsqlDbType = parameter.NpgsqlDbType });
        await using var reader = await explain.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
            lines.Add(reader.GetString(0));
        return string.Join('\n', lines);
    }
}
