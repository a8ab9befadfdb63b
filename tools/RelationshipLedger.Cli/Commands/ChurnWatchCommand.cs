using System.CommandLine;
using RelationshipLedger.Application;
using RelationshipLedger.Application.ChurnWatch;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Customers.Caching;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands;

/// <summary>
/// <c>ledger churn-watch [--as-of INSTANT]</c>: one run of the churn watch (what the API runs every
/// interval), under the same lock, printing the customers it flagged. It applies the schema first.
/// </summary>
internal static class ChurnWatchCommand
{
    private static readonly Option<string?> AsOfOption = new("--as-of")
    {
        Description = "The instant to evaluate as of, and the business time of the flags. Default: now.",
        HelpName = "instant",
    };

    public static Command Create()
    {
        var command = new Command(
            "churn-watch",
            "Evaluate every customer's churn signals now and flag each new episode (ChurnRiskFlagged), once."
        )
        {
            AsOfOption,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var asOf = InstantArgument.Parse(parseResult.GetValue(AsOfOption), "--as-of") ?? now;
        if (asOf > now + CustomerDecider.AllowedClockSkew)
            throw new UsageException(
                "--as-of cannot be in the future: the ledger refuses business time ahead of the clock."
            );

        await using var connection = await LedgerConnection.OpenAsync(parseResult, cancellationToken);
        Output.Results.MarkupLine($"Database: {Markup.Escape(connection.Source)}");
        await LedgerSchema.MigrateAsync(connection.DataSource, cancellationToken);
        var application = new LedgerApplication(connection);
        var job = new ChurnWatchJob(
            connection.DataSource,
            new CustomerStateLoader(application.Store, CustomerStateCache.None),
            application.Handler,
            LifecycleRules.Default,
            TimeProvider.System
        );
        var run = await job.RunAsync(asOf, cancellationToken);
        if (run is null)
        {
            Output.Error("Another process holds the churn watch's lock and is evaluating now; nothing was done.");
            return ExitCodes.Failure;
        }
        Print(run);
        return ExitCodes.Success;
    }

    private static void Print(ChurnWatchRun run)
    {
        if (run.Flagged.Count > 0)
        {
            var table = new Table()
                .AddColumn("Customer")
                .AddColumn("Signals")
                .AddColumn(new TableColumn("Version").RightAligned());
            foreach (var flag in run.Flagged)
                table.AddRow(
                    Markup.Escape(flag.CustomerId),
                    string.Join(", ", flag.Signals),
                    flag.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)
                );
            Output.Results.Write(table);
        }
        foreach (var refusal in run.Refused)
            Output.Errors.MarkupLine(
                $"[yellow]not flagged:[/] {Markup.Escape(refusal.CustomerId)} {Markup.Escape(refusal.Code)}: {Markup.Escape(refusal.Message)}"
            );
        Output.Results.MarkupLine(
            $"[green]Flagged {run.Flagged.Count:N0} customer(s)[/] as of {run.AsOf.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z; "
                + $"{run.Evaluated:N0} evaluated, {run.AlreadyFlagged:N0} already flagged in a standing episode, "
                + $"{run.Refused.Count:N0} refused."
        );
    }
}
