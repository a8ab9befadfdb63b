using RelationshipLedger.Cli.Tests.Support;

namespace RelationshipLedger.Cli.Tests.Commands;

/// <summary><c>ledger bench portfolio</c>: refuses bad options, and a tiny run goes through every step to its report.</summary>
public sealed class BenchPortfolioCommandTests
{
    [Theory]
    [InlineData("--customers", "5", "--customers")]
    [InlineData("--samples", "0", "--samples")]
    [InlineData("--seeding", "fast", "'fast' not recognized")]
    public async Task Bad_options_are_a_usage_error(string option, string value, string named)
    {
        var result = await CliProcess.RunAsync(["bench", "portfolio", option, value]);

        result.AssertExitCode(ExitCodes.Usage);
        result.AssertErrorsContain(named);
    }

    [Theory]
    [InlineData("rows")]
    [InlineData("events")]
    public async Task A_small_run_fills_the_state_history_and_reports_every_question(string seeding)
    {
        var result = await CliProcess.RunAsync([
            "bench",
            "portfolio",
            "--customers",
            "40",
            "--samples",
            "10",
            "--fsync",
            "off",
            "--seeding",
            seeding,
        ]);

        result.AssertExitCode(ExitCodes.Success);
        result.AssertOutputContains("Goal p50 under 50 ms");
        foreach (var question in new[] { "every account", "tier=Transactional&stage=Growth", "stage=Decline" })
            result.AssertOutputContains($"| {question} | now − 3 years | after a random id |");
        result.AssertOutputContains("| owner=owner-chen | now − 30 days | first |");
    }
}
