using System.Text.RegularExpressions;
using RelationshipLedger.Application;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Customers.Caching;
using RelationshipLedger.Application.SatisfactionHistory;
using RelationshipLedger.Cli.Tests.Support;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Cli.Tests.Commands;

/// <summary><c>ledger projections list|status NAME|rebuild NAME</c>, run as a process.</summary>
public sealed class ProjectionsCommandTests(CliLedger ledger) : IClassFixture<CliLedger>
{
    private const string Satisfaction = SatisfactionHistoryProjection.ProjectionName;

    [Fact]
    public async Task Rebuild_swaps_in_the_read_model_and_a_second_rebuild_of_it_prints_equal_content_hashes()
    {
        await SurveyedCustomersAsync();

        // The first rebuild fills a model no daemon has run yet.
        (await ledger.RunAsync("projections", "rebuild", Satisfaction, "--batch-size", "2"))
            .AssertExitCode(0)
            .AssertNoStackTrace();
        var again = (await ledger.RunAsync("projections", "rebuild", Satisfaction)).AssertExitCode(0);

        again
            .AssertOutputContains($"Rebuilt {Satisfaction}")
            .AssertOutputContains("The rebuilt rows equal the live rows.");
        var rebuilt = HashAfter("Content hash of the rebuilt rows:", again.Output);
        var live = HashAfter("Content hash of the live rows:", again.Output);
        Assert.Equal(rebuilt, live);
        Assert.Contains("(6 rows at", again.Output, StringComparison.Ordinal);

        var status = (await ledger.RunAsync("projections", "status", Satisfaction)).AssertExitCode(0);
        Assert.Equal(rebuilt, HashAfter("Content hash", status.Output));
        status.AssertOutputContains("Completed, 6 of 6 events");
        (await ledger.RunAsync("projections", "list"))
            .AssertExitCode(0)
            .AssertOutputContains(Satisfaction)
            .AssertOutputContains(": Completed");
    }

    [Fact]
    public async Task Status_and_rebuild_of_an_unknown_projection_exit_2_naming_the_known_ones()
    {
        foreach (var command in new[] { "status", "rebuild" })
            (await ledger.RunAsync("projections", command, "no_such_projection"))
                .AssertExitCode(2)
                .AssertErrorsContain("There is no projection 'no_such_projection'")
                .AssertErrorsContain(Satisfaction)
                .AssertNoStackTrace();
    }

    private async Task SurveyedCustomersAsync()
    {
        var cache = new CustomerStateCache();
        var store = LedgerServices.CreateStore(ledger.Database.DataSource, LifecycleRules.Default, cache);
        await RebuildableCustomers.WriteAsync(store, cache, "cli-test", withPurchases: false);
    }

    private static string HashAfter(string label, string output)
    {
        var match = Regex.Match(output, Regex.Escape(label) + @"\s+([0-9a-f]{64})");
        Assert.True(match.Success, $"no '{label}' hash in:\n{output}");
        return match.Groups[1].Value;
    }
}
