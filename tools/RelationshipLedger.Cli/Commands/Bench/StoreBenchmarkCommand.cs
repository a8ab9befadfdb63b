using System.CommandLine;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary><c>ledger bench store</c>: the event store's appends and log reads beside raw PostgreSQL.</summary>
internal static class StoreBenchmarkCommand
{
    private static readonly Option<string?> Fsync = BenchOptions.Fsync();

    private static readonly Option<int> Duration = BenchOptions.Bounded(
        "--duration",
        "seconds",
        "Seconds each phase measures the store, and as many its baseline.",
        8,
        1,
        600
    );
    private static readonly Option<int> Warmup = BenchOptions.Bounded(
        "--warmup",
        "seconds",
        "Seconds each phase runs before it is measured.",
        2,
        0,
        60
    );
    private static readonly Option<int> Rounds = BenchOptions.Bounded(
        "--rounds",
        "count",
        "Alternations of store and baseline within each phase's measured time.",
        2,
        1,
        10
    );
    private static readonly Option<int> Writers = BenchOptions.Bounded(
        "--writers",
        "count",
        "Concurrent writers of the multi-writer phases (the single-writer phases always run too).",
        8,
        1,
        64
    );
    private static readonly Option<int> BatchSize = BenchOptions.Bounded(
        "--batch-size",
        "events",
        "Events per append (and rows per raw INSERT or COPY) in the batch phases.",
        100,
        2,
        1000
    );
    private static readonly Option<int> PayloadBytes = BenchOptions.Bounded(
        "--payload-bytes",
        "bytes",
        "Approximate size of each purchase event's JSON payload.",
        256,
        64,
        65_536
    );
    private static readonly Option<int> ReadPageSize = BenchOptions.Bounded(
        "--read-page-size",
        "events",
        "Events per page when the store reads the log.",
        5000,
        100,
        100_000
    );

    public static Command Create()
    {
        var command = new Command(
            "store",
            "Append and read events through the event store and, in the same run, write and read the same rows with plain "
                + "PostgreSQL. Runs on a throwaway cluster, or on a scratch database created beside the one --connection names."
        )
        {
            Fsync,
            Duration,
            Warmup,
            Rounds,
            Writers,
            BatchSize,
            PayloadBytes,
            ReadPageSize,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var connection = parseResult.GetValue(LedgerConnection.Option);
        var durable = BenchOptions.DurableCluster(parseResult, Fsync);
        var settings = new StoreBenchmarkSettings(
            connection,
            durable,
            TimeSpan.FromSeconds(parseResult.GetValue(Duration)),
            TimeSpan.FromSeconds(parseResult.GetValue(Warmup)),
            parseResult.GetValue(Rounds),
            parseResult.GetValue(Writers),
            parseResult.GetValue(BatchSize),
            parseResult.GetValue(PayloadBytes),
            parseResult.GetValue(ReadPageSize)
        );
        await using var target = await BenchTarget.StartAsync(settings, cancellationToken);
        var report = await new StoreBenchmark(target, settings).RunAsync(cancellationToken);
        BenchReport.Write(report);
        return ExitCodes.Success;
    }
}
