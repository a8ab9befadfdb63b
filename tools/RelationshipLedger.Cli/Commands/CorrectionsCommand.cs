using System.CommandLine;
using System.Globalization;
using RelationshipLedger.Application.Customers;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands;

/// <summary>
/// <c>ledger corrections CUSTOMER --as-of T --from K1 [--to K2]</c>: each field of the overview whose value about
/// T differs between knowing what was recorded by K1 and by K2, with the events that made the difference.
/// Exit code 4 for an unknown customer, 2 for a bad id or instant.
/// </summary>
internal static class CorrectionsCommand
{
    private static readonly Argument<string> CustomerArgument = new("customer") { Description = "The customer id." };

    private static readonly Option<string> AsOfOption = new("--as-of")
    {
        Description = "The business instant the question is about; a date means the end of that day, UTC.",
        HelpName = "instant",
        Required = true,
    };

    private static readonly Option<string> FromOption = new("--from")
    {
        Description = "The earlier knowledge instant (system time).",
        HelpName = "instant",
        Required = true,
    };

    private static readonly Option<string?> ToOption = new("--to")
    {
        Description = "The later knowledge instant; default now.",
        HelpName = "instant",
    };

    public static Command Create()
    {
        var command = new Command(
            "corrections",
            "What changed about an instant between two knowledge instants: each field, before and after, and why."
        )
        {
            CustomerArgument,
            AsOfOption,
            FromOption,
            ToOption,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var customerId = parseResult.GetValue(CustomerArgument);
        if (!CustomerId.IsValid(customerId))
            throw new UsageException($"'{customerId}' is not a customer id: a customer id is {CustomerId.Rule}.");
        var asOf = InstantArgument.Parse(parseResult.GetValue(AsOfOption), "--as-of")!.Value;
        var from = InstantArgument.Parse(parseResult.GetValue(FromOption), "--from")!.Value;
        var to = InstantArgument.Parse(parseResult.GetValue(ToOption), "--to") ?? DateTimeOffset.UtcNow;
        if (from >= to)
            throw new UsageException("--to must be after --from.");

        await using var connection = await LedgerConnection.OpenAsync(parseResult, cancellationToken);
        var report = await new LedgerApplication(connection).Corrections.ReportAsync(
            customerId,
            asOf,
            from,
            to,
            cancellationToken
        );
        if (report is null)
        {
            Output.Error($"There is no customer '{customerId}'.");
            return ExitCodes.NotFound;
        }
        Output.Results.MarkupLine(
            $"About {Format(asOf)}: known at {Format(from)} against known at {Format(to)}; "
                + $"{report.Events.Count:N0} event(s) recorded in between."
        );
        if (report.Fields.Count == 0)
        {
            Output.Results.MarkupLine("Nothing the overview shows changed.");
            return ExitCodes.Success;
        }
        var table = new Table()
            .AddColumn("Field")
            .AddColumn($"Known at {Format(from)}")
            .AddColumn($"Known at {Format(to)}")
            .AddColumn("Caused by");
        foreach (var field in report.Fields)
            table.AddRow(
                Markup.Escape(field.Field),
                Markup.Escape(field.Before ?? "-"),
                Markup.Escape(field.After ?? "-"),
                Markup.Escape(string.Join("\n", field.CausedBy.Select(Describe)))
            );
        Output.Results.Write(table);
        return ExitCodes.Success;
    }

    /// <summary>One causing event per line: version, type, when it happened, who recorded it.</summary>
    private static string Describe(CorrectionEvent e) =>
        $"v{e.Version} {e.Type}, occurred {e.OccurredAt.UtcDateTime:yyyy-MM-dd}"
        + (e.Actor is null ? "" : $", by {e.Actor}");

    private static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
