using System.CommandLine;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary><c>ledger bench load</c>: sustained mixed HTTP traffic against the real API (issue 6).</summary>
internal static class LoadBenchmarkCommand
{
    private static readonly Option<string?> Fsync = BenchOptions.Fsync();

    private static readonly Option<int> Duration = BenchOptions.Bounded(
        "--duration",
        "seconds",
        "Seconds of measured mixed traffic (after a warm-up).",
        60,
        1,
        3600
    );
    private static readonly Option<int> Writers = BenchOptions.Bounded(
        "--writers",
        "count",
        "Concurrent HTTP clients recording purchases (each with an Idempotency-Key).",
        4,
        1,
        64
    );
    private static readonly Option<int> Readers = BenchOptions.Bounded(
        "--readers",
        "count",
        "Concurrent HTTP clients taking turns at overview, time-travel and feed reads.",
        4,
        0,
        64
    );
    private static readonly Option<int?> Warmup = new("--warmup")
    {
        Description =
            "Seconds of traffic before the measured period (default 5, 1 for runs under 20 s); make it long enough "
            + "for the state caches to fill to their bounds when memory is the question.",
        HelpName = "seconds",
    };
    private static readonly Option<int> Customers = BenchOptions.Bounded(
        "--customers-per-writer",
        "count",
        "Customers each writer registers and spreads its purchases over.",
        10,
        1,
        1000
    );

    public static Command Create()
    {
        var command = new Command(
            "load",
            "Runs the real API as a child process (rate limiting off) and sends it sustained mixed traffic: appends, "
                + "overview, time-travel and feed reads; reports throughput and p50/p95/p99 per kind, the API's memory "
                + "over the run, and the store-level append rate of the same run. Runs on a throwaway cluster, or on "
                + "a scratch database created beside the one --connection names."
        )
        {
            Fsync,
            Duration,
            Writers,
            Readers,
            Warmup,
            Customers,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var settings = new LoadBenchmarkSettings(
            parseResult.GetValue(LedgerConnection.Option),
            BenchOptions.DurableCluster(parseResult, Fsync),
            TimeSpan.FromSeconds(parseResult.GetValue(Duration)),
            parseResult.GetValue(Writers),
            parseResult.GetValue(Readers),
            parseResult.GetValue(Customers),
            WarmupSeconds(parseResult)
        );
        var targetSettings = StoreBenchmarkSettings.ForTarget(settings.Connection, settings.Fsync, settings.Writers);
        await using var target = await BenchTarget.StartAsync(targetSettings, cancellationToken);
        var report = await new LoadBenchmark(target, settings).RunAsync(cancellationToken);
        LoadBenchReport.Write(report);
        return ExitCodes.Success;
    }

    private static TimeSpan? WarmupSeconds(ParseResult parseResult) =>
        parseResult.GetValue(Warmup) switch
        {
            null => null,
            >= 0 and <= 3600 and var seconds => TimeSpan.FromSeconds(seconds),
            var seconds => throw new UsageException($"--warmup must be between 0 and 3600; it was {seconds}."),
        };
}
