using System.CommandLine;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary><c>ledger bench ledger</c>: command-handler appends beside the bare store, and overview read latency (issue 3).</summary>
internal static class LedgerBenchmarkCommand
{
    private static readonly Option<string?> Fsync = new("--fsync")
    {
        Description =
            "fsync of the throwaway cluster: on (default, production-like) or off. Not allowed with --connection.",
        HelpName = "on|off",
    };

    private static readonly Option<int> Duration = Bounded(
        "--duration",
        "Seconds each side (handler, bare store) is measured per writer count.",
        8,
        1,
        600
    );
    private static readonly Option<int> Warmup = Bounded(
        "--warmup",
        "Seconds of warm-up before each measured slice.",
        1,
        0,
        60
    );
    private static readonly Option<int> Rounds = Bounded(
        "--rounds",
        "Alternations of handler and bare store within each writer count.",
        2,
        1,
        10
    );
    private static readonly Option<int> Writers = Bounded(
        "--writers",
        "Writers (on distinct customers) of the multi-writer phase; one writer always runs too.",
        8,
        1,
        64
    );
    private static readonly Option<int> HistoryEvents = Bounded(
        "--history-events",
        "Events of the customer whose overview is read.",
        1000,
        10,
        100_000
    );
    private static readonly Option<int> Samples = Bounded("--samples", "Reads measured per query.", 300, 10, 100_000);

    public static Command Create()
    {
        Fsync.AcceptOnlyFromAmong("on", "off");
        var command = new Command(
            "ledger",
            "Single-event commands through the command handler with the inline overview beside bare appends of the same events, "
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
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var connection = parseResult.GetValue(LedgerConnection.Option);
        var fsync = parseResult.GetValue(Fsync);
        if (connection is not null && fsync is not null)
            throw new UsageException(
                "--fsync sets up the throwaway cluster; with --connection the server's own fsync setting applies (the report shows it)."
            );
        var settings = new LedgerBenchmarkSettings(
            connection,
            fsync != "off",
            TimeSpan.FromSeconds(parseResult.GetValue(Duration)),
            TimeSpan.FromSeconds(parseResult.GetValue(Warmup)),
            parseResult.GetValue(Rounds),
            parseResult.GetValue(Writers),
            parseResult.GetValue(HistoryEvents),
            parseResult.GetValue(Samples)
        );
        var targetSettings = new StoreBenchmarkSettings(
            settings.Connection,
            settings.Fsync,
            settings.Duration,
            settings.Warmup,
            settings.Rounds,
            settings.Writers,
            BatchSize: 1,
            PayloadBytes: 0,
            ReadPageSize: 0
        );
        await using var target = await BenchTarget.StartAsync(targetSettings, cancellationToken);
        var report = await new LedgerBenchmark(target, settings).RunAsync(cancellationToken);
        LedgerBenchReport.Write(report);
        return ExitCodes.Success;
    }

    private static Option<int> Bounded(string name, string description, int defaultValue, int minimum, int maximum)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value < minimum || value > maximum)
                result.AddError($"{name} must be between {minimum} and {maximum}; it was {value}.");
        });
        return option;
    }
}
