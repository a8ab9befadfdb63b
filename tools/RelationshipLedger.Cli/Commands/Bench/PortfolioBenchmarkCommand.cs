using System.CommandLine;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary><c>ledger bench portfolio</c>: portfolio <c>asOf</c> query latency over many customers (issue 4).</summary>
internal static class PortfolioBenchmarkCommand
{
    private static readonly Option<string?> Fsync = BenchOptions.Fsync();

    private static readonly Option<int> Customers = BenchOptions.Bounded(
        "--customers",
        "count",
        "Seeded customers (multi-year histories of every pattern).",
        100_000,
        10,
        1_000_000
    );
    private static readonly Option<int> Samples = BenchOptions.Bounded(
        "--samples",
        "count",
        "Timed queries per question and instant (after a warm-up of a tenth as many).",
        200,
        10,
        100_000
    );
    private static readonly Option<int> Writers = BenchOptions.Bounded(
        "--writers",
        "count",
        "Concurrent writers appending the seeded streams, one append per customer.",
        4,
        1,
        64
    );

    public static Command Create()
    {
        var command = new Command(
            "portfolio",
            "Seeds customers (one append per customer), lets the projection daemon build the temporal state history, "
                + "then times portfolio pages as of several past instants (a page of 50 filtered by tier and stage, "
                + "and an owner's page) beside the same page from a plain table of the current rows. Runs on a "
                + "throwaway cluster, or on a scratch database created beside the one --connection names."
        )
        {
            Fsync,
            Customers,
            Samples,
            Writers,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var settings = new PortfolioBenchmarkSettings(
            parseResult.GetValue(LedgerConnection.Option),
            BenchOptions.DurableCluster(parseResult, Fsync),
            parseResult.GetValue(Customers),
            parseResult.GetValue(Samples),
            parseResult.GetValue(Writers)
        );
        var targetSettings = new StoreBenchmarkSettings(
            settings.Connection,
            settings.Fsync,
            TimeSpan.Zero,
            TimeSpan.Zero,
            Rounds: 1,
            settings.Writers,
            BatchSize: 1,
            PayloadBytes: 0,
            ReadPageSize: 0
        );
        await using var target = await BenchTarget.StartAsync(targetSettings, cancellationToken);
        var report = await new PortfolioBenchmark(target, settings).RunAsync(cancellationToken);
        PortfolioBenchReport.Write(report);
        return ExitCodes.Success;
    }
}
