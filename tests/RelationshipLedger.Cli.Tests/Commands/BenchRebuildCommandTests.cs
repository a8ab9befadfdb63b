using System.Globalization;
using RelationshipLedger.Application.SatisfactionHistory;
using RelationshipLedger.Cli.Tests.Support;

namespace RelationshipLedger.Cli.Tests.Commands;

/// <summary>
/// <c>ledger bench rebuild</c> at a tiny size, as a smoke test: it seeds a scratch database beside the
/// test's, rebuilds each projection in a child process and again in its own, and reports. The figures
/// themselves are not asserted (speed belongs in docs/benchmarks.md), only that the rebuilt rows equal
/// the live ones and that both rebuilds have a rate.
/// </summary>
public sealed class BenchRebuildCommandTests(CliLedger ledger) : IClassFixture<CliLedger>
{
    [Fact]
    public async Task A_tiny_run_rebuilds_each_projection_at_both_sizes_and_the_rebuilt_rows_equal_the_live_ones()
    {
        var result = (await ledger.RunAsync("bench", "rebuild", "--small", "1000", "--large", "2000", "--writers", "2"))
            .AssertExitCode(0)
            .AssertNoStackTrace();

        var lines = result.Output.Split('\n');
        var rows = lines
            .Where(line =>
                line.StartsWith($"| {SatisfactionHistoryProjection.ProjectionName} |", StringComparison.Ordinal)
            )
            .ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, row => Assert.EndsWith("| yes |", row.TrimEnd(), StringComparison.Ordinal));
        result.AssertOutputContains("peak working set");
        // Each size also has a rebuild in the benchmark's own, warm process, with a rate of its own.
        var warm = Array.IndexOf(
            Cells(lines.Single(line => line.StartsWith("| projection |", StringComparison.Ordinal))),
            "warm events/s"
        );
        Assert.True(warm > 0, "The table has no column for the warm rebuild.");
        Assert.All(
            rows,
            row =>
                Assert.True(double.Parse(Cells(row)[warm], NumberStyles.Number, CultureInfo.InvariantCulture) > 0, row)
        );
    }

    private static string[] Cells(string row) => [.. row.Trim().Trim('|').Split('|').Select(cell => cell.Trim())];

    [Fact]
    public async Task A_large_size_below_the_small_one_is_refused_with_exit_2()
    {
        (await ledger.RunAsync("bench", "rebuild", "--small", "2000", "--large", "1000"))
            .AssertExitCode(2)
            .AssertErrorsContain("--large must be at least --small")
            .AssertNoStackTrace();
    }
}
