using System.CommandLine;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary><c>ledger bench daemon</c>: the projection daemon's lag under sustained appends (issue 4).</summary>
internal static class DaemonBenchmarkCommand
{
    private static readonly Option<string?> Fsync = BenchOptions.Fsync();

    private static readonly Option<int> Duration = BenchOptions.Bounded(
        "--duration",
        "seconds",
        "Seconds of sustained appends while the lag is sampled.",
        20,
        1,
        3600
    );
    private static readonly Option<int> Writers = BenchOptions.Bounded(
        "--writers",
        "count",
        "Concurrent writers running commands through the handler.",
        4,
        1,
        64
    );
    private static readonly Option<int> Customers = BenchOptions.Bounded(
        "--customers-per-writer",
        "count",
        "Customers each writer spreads its commands over.",
        20,
        1,
        10_000
    );

    public static Command Create()
    {
        var command = new Command(
            "daemon",
            "The projection daemon's lag (events and seconds behind the head of the log) while writers append through "
                + "the command handler, and the time to catch up once they stop. Runs on a throwaway cluster, or on a "
                + "scratch database created beside the one --connection names."
        )
        {
            Fsync,
            Duration,
            Writers,
            Customers,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var settings = new DaemonBenchmarkSettings(
            parseResult.GetValue(LedgerConnection.Option),
            BenchOptions.DurableCluster(parseResult, Fsync),
            TimeSpan.FromSeconds(parseResult.GetValue(Duration)),
            parseResult.GetValue(Writers),
            parseResult.GetValue(Customers)
        );
        var targetSettings = StoreBenchmarkSettings.ForTarget(settings.Connection, settings.Fsync, settings.Writers);
        await using var target = await BenchTarget.StartAsync(targetSettings, cancellationToken);
        var report = await new DaemonBenchmark(target, settings).RunAsync(cancellationToken);
        DaemonBenchReport.Write(report);
        return ExitCodes.Success;
    }
}
