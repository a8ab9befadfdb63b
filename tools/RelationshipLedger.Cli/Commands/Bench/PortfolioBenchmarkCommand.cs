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
        "Concurrent writers (COPY streams, or appenders with one append per customer).",
        4,
        1,
        64
    );

    private static readonly Option<string> Seeding = CreateSeeding();

    private static Option<string> CreateSeeding()
    {
        var option = new Option<string>("--seeding")
        {
            Description =
                "rows (default): each seeded history folded in memory and its periods written with COPY, as the "
                + "projection would write them; events: the events appended through the store, then the projection "
                + "daemon builds the periods (end to end, slow: for a few thousand customers).",
            HelpName = "rows|events",
            DefaultValueFactory = _ => "rows",
        };
        option.AcceptOnlyFromAmong("rows", "events");
        return option;
    }

    public static Command Create()
    {
        var command = new Command(
            "portfolio",
            "Fills the temporal state history for seeded customers (see --seeding), then times portfolio pages "
                + "(first page and the page after a random id; all accounts, tier and stage, stage, owner) as of "
                + "several past instants, beside the same page from a plain table of the accounts as they were at "
                + "that instant. Runs on a throwaway cluster, or on a scratch database created beside the one "
                + "--connection names."
        )
        {
            Fsync,
            Customers,
            Samples,
            Writers,
            Seeding,
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
            parseResult.GetValue(Writers),
            parseResult.GetValue(Seeding) == "events" ? PortfolioSeeding.Events : PortfolioSeeding.Rows
        );
        var targetSettings = StoreBenchmarkSettings.ForTarget(settings.Connection, settings.Fsync, settings.Writers);
        await using var target = await BenchTarget.StartAsync(targetSettings, cancellationToken);
        var report = await new PortfolioBenchmark(target, settings).RunAsync(cancellationToken);
        PortfolioBenchReport.Write(report);
        return ExitCodes.Success;
    }
}
