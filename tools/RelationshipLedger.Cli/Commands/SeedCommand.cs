using System.CommandLine;
using RelationshipLedger.Application.Seeding;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands;

/// <summary>
/// <c>ledger seed --customers N [--seed S] [--now T]</c>: writes realistic multi-year histories through
/// the command handler (<see cref="SeedHistories"/>), customers <c>seed-000001</c> onwards. The same
/// options give the same histories; customers already in the ledger are left alone.
/// </summary>
internal static class SeedCommand
{
    private static readonly Option<int> CustomersOption = new("--customers")
    {
        Description = "How many customers to write.",
        Required = true,
    };

    private static readonly Option<int> SeedOption = new("--seed")
    {
        Description = "The random seed; the same seed writes the same histories.",
        DefaultValueFactory = _ => 1,
    };

    private static readonly Option<string?> NowOption = new("--now")
    {
        Description = "The instant the histories lead up to. Default: the start of today, UTC.",
        HelpName = "instant",
    };

    public static Command Create()
    {
        var command = new Command(
            "seed",
            "Write realistic customer histories (every lifecycle stage) through the command handler."
        )
        {
            CustomersOption,
            SeedOption,
            NowOption,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var customers = parseResult.GetValue(CustomersOption);
        if (customers is < 1 or > 1_000_000)
            throw new UsageException("--customers takes a number from 1 to 1,000,000.");
        var today = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        var now = InstantArgument.Parse(parseResult.GetValue(NowOption), "--now") ?? today;
        if (now > DateTimeOffset.UtcNow)
            throw new UsageException(
                "--now cannot be in the future: the ledger refuses business time ahead of the clock."
            );
        if (now < SeedHistories.EarliestNow)
            throw new UsageException(
                $"--now must be {SeedHistories.EarliestNow.UtcDateTime:yyyy-MM-dd} or later: seeded histories reach back "
                    + $"{SeedHistories.LongestHistory.TotalDays:0} days and the ledger refuses business time before {CustomerDecider.EarliestYear}."
            );
        var options = new SeedOptions(customers, parseResult.GetValue(SeedOption), now);

        await using var connection = await LedgerConnection.OpenAsync(parseResult, cancellationToken);
        Output.Results.MarkupLine($"Database: {Markup.Escape(connection.Source)}");
        var application = new LedgerApplication(connection);
        var seeder = new SeedHistories(application.Handler, application.Loader, LifecycleRules.Default);
        var report = await Output
            .Results.Progress()
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new RemainingTimeColumn()
            )
            .StartAsync(async context =>
            {
                var task = context.AddTask("Customers", maxValue: customers);
                var progress = new ProgressReporter<SeedProgress>(p =>
                {
                    task.Value = p.Customers;
                    task.Description = $"Customers ({p.Events:N0} events)";
                });
                return await seeder.SeedAsync(options, progress, cancellationToken);
            });
        var table = new Table().AddColumn("Pattern").AddColumn(new TableColumn("Customers").RightAligned());
        foreach (var (pattern, count) in report.ByPattern)
            table.AddRow(pattern.ToString(), $"{count:N0}");
        Output.Results.Write(table);
        Output.Results.MarkupLine(
            $"[green]Seeded {report.Customers:N0} customer(s) with {report.Events:N0} events[/] up to {now.UtcDateTime:yyyy-MM-dd HH:mm}Z "
                + $"(seed {options.Seed}); {report.AlreadyPresent:N0} already present and left alone."
        );
        return ExitCodes.Success;
    }
}
