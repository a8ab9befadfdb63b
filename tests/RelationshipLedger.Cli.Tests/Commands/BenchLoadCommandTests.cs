using RelationshipLedger.Cli.Tests.Support;

namespace RelationshipLedger.Cli.Tests.Commands;

/// <summary>
/// <c>ledger bench load</c> for a few seconds, as a smoke test: it starts the real API as a child process on a
/// scratch database beside the test's, sends it mixed traffic and reports. The figures are not asserted (speed
/// belongs in docs/benchmarks.md); that every kind of request was answered, and none failed, is.
/// </summary>
public sealed class BenchLoadCommandTests(CliLedger ledger) : IClassFixture<CliLedger>
{
    [Fact]
    public async Task A_short_run_answers_every_kind_of_request_without_a_failure_and_prints_the_report()
    {
        var result = (
            await ledger.RunAsync(
                "bench",
                "load",
                "--duration",
                "3",
                "--writers",
                "2",
                "--readers",
                "2",
                "--customers-per-writer",
                "2"
            )
        )
            .AssertExitCode(0)
            .AssertNoStackTrace();

        foreach (var kind in new[] { "Append", "Overview", "TimeTravel", "Feed" })
        {
            var row = result
                .Output.Split('\n')
                .Single(line => line.StartsWith($"| {kind} |", StringComparison.Ordinal));
            var cells = row.Split('|', StringSplitOptions.TrimEntries);
            Assert.True(
                long.Parse(cells[2].Replace(",", "", StringComparison.Ordinal)) > 0,
                $"No {kind} request: {row}"
            );
            Assert.True(cells[3] == "0", $"{kind} requests failed: {row}");
        }
        result
            .AssertOutputContains("HTTP appends")
            .AssertOutputContains("store level")
            .AssertOutputContains("Under the same mix without HTTP")
            .AssertOutputContains("API memory")
            .AssertOutputContains("API live heap after a full collection");
    }

    [Fact]
    public async Task A_duration_of_zero_is_refused_with_exit_2()
    {
        (await ledger.RunAsync("bench", "load", "--duration", "0"))
            .AssertExitCode(2)
            .AssertErrorsContain("--duration must be between 1 and 3600")
            .AssertNoStackTrace();
    }

    [Fact]
    public async Task A_negative_warm_up_is_refused_with_exit_2()
    {
        (await ledger.RunAsync("bench", "load", "--warmup", "-1"))
            .AssertExitCode(2)
            .AssertErrorsContain("--warmup must be between 0 and 3600")
            .AssertNoStackTrace();
    }
}
