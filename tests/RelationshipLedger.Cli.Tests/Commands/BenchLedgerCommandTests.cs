using RelationshipLedger.Cli.Tests.Support;

namespace RelationshipLedger.Cli.Tests.Commands;

/// <summary><c>ledger bench ledger</c>: refuses bad options, and a tiny run measures both workloads and every read.</summary>
public sealed class BenchLedgerCommandTests
{
    [Theory]
    [InlineData("--customers-per-writer", "0", "--customers-per-writer")]
    [InlineData("--typical-history", "1", "--typical-history")]
    [InlineData("--writers", "0", "--writers")]
    public async Task Bad_options_are_a_usage_error(string option, string value, string named)
    {
        var result = await CliProcess.RunAsync(["bench", "ledger", option, value]);

        result.AssertExitCode(ExitCodes.Usage);
        result.AssertErrorsContain(named);
    }

    [Fact]
    public async Task A_small_run_reports_both_workloads_for_each_writer_count_and_every_read()
    {
        var result = await CliProcess.RunAsync([
            "bench",
            "ledger",
            "--duration",
            "1",
            "--warmup",
            "0",
            "--rounds",
            "1",
            "--writers",
            "2",
            "--history-events",
            "120",
            "--samples",
            "10",
            "--customers-per-writer",
            "3",
            "--typical-history",
            "20",
            "--fsync",
            "off",
        ]);

        result.AssertExitCode(ExitCodes.Success);
        foreach (var writers in new[] { 1, 2 })
        {
            result.AssertOutputContains($"| one customer per writer, its stream growing (worst case) | {writers} |");
            result.AssertOutputContains(
                $"| 3 customers per writer in turn, 20-event histories (typical) | {writers} |"
            );
        }
        result.AssertOutputContains("| overview of a 120-event customer |");
        foreach (var read in new[] { "now", "asOf mid-history", "version = 60" })
        foreach (var cache in new[] { "cached", "no cache" })
            result.AssertOutputContains($"| {read}, {cache} |");
    }
}
