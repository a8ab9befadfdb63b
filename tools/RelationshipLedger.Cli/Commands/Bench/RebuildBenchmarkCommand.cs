using System.CommandLine;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary><c>ledger bench rebuild</c>: rebuild throughput against a raw read, and memory at two log sizes (issue 4).</summary>
internal static class RebuildBenchmarkCommand
{
    private static readonly Option<string?> Fsync = BenchOptions.Fsync();

    private static readonly Option<int> Small = BenchOptions.Bounded(
        "--small",
        "events",
        "The log size of the first round of rebuilds.",
        100_000,
        1_000,
        10_000_000
    );

    private static readonly Option<int> Large = BenchOptions.Bounded(
        "--large",
        "events",
        "The log size of the second round (at least --small).",
        1_000_000,
        1_000,
        50_000_000
    );

    private static readonly Option<int> Writers = BenchOptions.Bounded(
        "--writers",
        "count",
        "Concurrent writers seeding the log (one append per customer history).",
        4,
        1,
        64
    );

    public static Command Create()
    {
        var command = new Command(
            "rebuild",
            "Seeds a log of realistic customer histories and rebuilds every asynchronous projection on it at two sizes: "
                + "events/s against a raw sequential read of the same rows, and the rebuild process's peak memory. "
                + "Takes several minutes. Runs on a throwaway cluster, or on a scratch database beside the one --connection names."
        )
        {
            Fsync,
            Small,
            Large,
            Writers,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var settings = new RebuildBenchmarkSettings(
            parseResult.GetValue(LedgerConnection.Option),
            BenchOptions.DurableCluster(parseResult, Fsync),
            parseResult.GetValue(Small),
            parseResult.GetValue(Large),
            parseResult.GetValue(Writers)
        );
        if (settings.LargeLog < settings.SmallLog)
            throw new UsageException("--large must be at least --small.");
        var targetSettings = StoreBenchmarkSettings.ForTarget(settings.Connection, settings.Fsync, settings.Writers);
        await using var target = await BenchTarget.StartAsync(targetSettings, cancellationToken);
        var report = await new RebuildBenchmark(target, settings).RunAsync(cancellationToken);
        RebuildBenchReport.Write(report);
        return ExitCodes.Success;
    }
}
