using System.CommandLine;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary><c>ledger bench ledger</c>: command-handler appends beside the bare store, and overview read latency (issue 3).</summary>
internal static class LedgerBenchmarkCommand
{
    private static readonly Option<string?> Fsync = BenchOptions.Fsync();

    private static readonly Option<int> Duration = BenchOptions.Bounded(
        "--duration",
        "seconds",
        "Seconds each side (handler, bare store) is measured per writer count.",
        8,
        1,
        600
    );
    private static readonly Option<int> Warmup = BenchOptions.Bounded(
        "--warmup",
        "seconds",
        "Seconds of warm-up before each measured slice.",
        1,
        0,
        60
    );
    private static readonly Option<int> Rounds = BenchOptions.Bounded(
        "--rounds",
        "count",
        "Alternations of handler and bare store within each writer count.",
        2,
        1,
        10
    );
    private static readonly Option<int> Writers = BenchOptions.Bounded(
        "--writers",
        "count",
        "Writers (on distinct customers) of the multi-writer phase; one writer always runs too.",
        8,
        1,
        64
    );
    private static readonly Option<int> HistoryEvents = BenchOptions.Bounded(
        "--history-events",
        "events",
        "Events of the customer whose overview is read.",
        1000,
        10,
        100_000
    );
    private static readonly Option<int> Samples = BenchOptions.Bounded(
        "--samples",
        "count",
        "Reads measured per query.",
        300,
        10,
        100_000
    );

    private static readonly Option<int> CustomersPerWriter = BenchOptions.Bounded(
        "--customers-per-writer",
        "count",
        "Customers each writer writes to in turn in the typical workload.",
        20,
        1,
        10_000
    );
    private static readonly Option<int> TypicalHistory = BenchOptions.Bounded(
        "--typical-history",
        "events",
        "Events each customer of the typical workload has before the run.",
        200,
        2,
        10_000
    );

    public static Command Create()
    {
        var command = new Command(
            "ledger",
            "Single-event commands through the command handler with the inline overview beside bare appends of the same events "
                + "(one growing customer per writer, and many customers with typical histories), "
                + "and the latency of a long customer's overview now and time-travelled. Runs on a throwaway cluster, or on a "
                + "scratch database created beside the one --connection names."
        )
        {
            Fsync,
            Duration,
            Warmup,
            Rounds,
            Writers,
            HistoryEvents,
            Samples,
            CustomersPerWriter,
            TypicalHistory,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var connection = parseResult.GetValue(LedgerConnection.Option);
        var durable = BenchOptions.DurableCluster(parseResult, Fsync);
        var settings = new LedgerBenchmarkSettings(
            connection,
            durable,
            TimeSpan.FromSeconds(parseResult.GetValue(Duration)),
            TimeSpan.FromSeconds(parseResult.GetValue(Warmup)),
            parseResult.GetValue(Rounds),
            parseResult.GetValue(Writers),
            parseResult.GetValue(HistoryEvents),
            parseResult.GetValue(Samples),
            parseResult.GetValue(CustomersPerWriter),
            parseResult.GetValue(TypicalHistory)
        );
        var targetSettings = StoreBenchmarkSettings.ForTarget(settings.Connection, settings.Fsync, settings.Writers);
        await using var target = await BenchTarget.StartAsync(targetSettings, cancellationToken);
        var report = await new LedgerBenchmark(target, settings).RunAsync(cancellationToken);
        LedgerBenchReport.Write(report);
        return ExitCodes.Success;
    }
}
