using System.CommandLine;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary><c>ledger bench abc</c>: the ABC portfolio's asOf query with many customers (issue 4, docs/abc.md).</summary>
internal static class AbcBenchmarkCommand
{
    private static readonly Option<string?> Fsync = BenchOptions.Fsync();

    private static readonly Option<int> Customers = BenchOptions.Bounded(
        "--customers",
        "count",
        "Customers in the portfolio, each with a multi-year purchase history.",
        100_000,
        10,
        1_000_000
    );
    private static readonly Option<int> Years = BenchOptions.Bounded(
        "--years",
        "count",
        "Years of history before the latest instant asked about.",
        4,
        2,
        20
    );
    private static readonly Option<int> Instants = BenchOptions.Bounded(
        "--instants",
        "count",
        "Past instants asked about, spread over the last years of the history.",
        5,
        1,
        50
    );
    private static readonly Option<int> Samples = BenchOptions.Bounded(
        "--samples",
        "count",
        "Timed queries per instant, for the portfolio and for the baseline each (after one warm-up each).",
        10,
        1,
        1000
    );

    public static Command Create()
    {
        var command = new Command(
            "abc",
            "GET /portfolio/abc's query (the pyramid and the first page of customers) at several past instants, "
                + "with the read model's rows written by COPY, beside the same windowed sum and ranking over a plain "
                + "table. Runs on a throwaway cluster, or on a scratch database beside the one --connection names."
        )
        {
            Fsync,
            Customers,
            Years,
            Instants,
            Samples,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var settings = new AbcBenchmarkSettings(
            parseResult.GetValue(Customers),
            parseResult.GetValue(Years),
            parseResult.GetValue(Instants),
            parseResult.GetValue(Samples)
        );
        var targetSettings = StoreBenchmarkSettings.ForTarget(
            parseResult.GetValue(LedgerConnection.Option),
            BenchOptions.DurableCluster(parseResult, Fsync),
            writers: 1
        );
        await using var target = await BenchTarget.StartAsync(targetSettings, cancellationToken);
        var report = await new AbcBenchmark(target, settings).RunAsync(cancellationToken);
        AbcBenchReport.Write(report);
        return ExitCodes.Success;
    }
}
