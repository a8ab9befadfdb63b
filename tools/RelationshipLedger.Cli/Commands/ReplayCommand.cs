using System.CommandLine;
using System.Globalization;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Overview;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands;

/// <summary>
/// <c>ledger replay CUSTOMER [--as-of T] [--known-at K]</c>: an auditor's replay of a customer's stream —
/// each event with who recorded it, the state right after it and what it changed. Exit code 4 when the
/// customer is unknown (or had no event by then), 2 for a bad id or instant.
/// </summary>
internal static class ReplayCommand
{
    private static readonly Argument<string> CustomerArgument = new("customer") { Description = "The customer id." };

    private static readonly Option<string?> AsOfOption = new("--as-of")
    {
        Description =
            "Only events that occurred by this instant (business time); a date means the end of that day, UTC.",
        HelpName = "instant",
    };

    private static readonly Option<string?> KnownAtOption = new("--known-at")
    {
        Description = "Only events the ledger had recorded by this instant (system time).",
        HelpName = "instant",
    };

    public static Command Create()
    {
        var command = new Command(
            "replay",
            "Replay a customer's history: every event, the state after it and what changed."
        )
        {
            CustomerArgument,
            AsOfOption,
            KnownAtOption,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var customerId = parseResult.GetValue(CustomerArgument);
        if (!CustomerId.IsValid(customerId))
            throw new UsageException($"'{customerId}' is not a customer id: a customer id is {CustomerId.Rule}.");
        var asOf = InstantArgument.Parse(parseResult.GetValue(AsOfOption), "--as-of");
        var knownAt = InstantArgument.Parse(parseResult.GetValue(KnownAtOption), "--known-at");

        await using var connection = await LedgerConnection.OpenAsync(parseResult, cancellationToken);
        var application = new LedgerApplication(connection);
        var timeline = await application.Timeline.ReplayAsync(customerId, knownAt, cancellationToken);
        if (timeline is null)
        {
            Output.Error(
                $"There is no customer '{customerId}'{(knownAt is null ? "" : $" known at {Format(knownAt.Value)}")}."
            );
            return ExitCodes.NotFound;
        }
        var entries = asOf is null ? timeline : [.. timeline.Where(e => e.Event.OccurredAt <= asOf.Value)];
        if (entries.Count == 0)
        {
            Output.Error($"Customer '{customerId}' had no event that occurred by {Format(asOf!.Value)}.");
            return ExitCodes.NotFound;
        }
        Output.Results.Write(TimelineTable(entries));
        var last = entries[^1].After;
        Output.Results.MarkupLine(
            $"{entries.Count:N0} event(s) of [bold]{Markup.Escape(customerId)}[/] ({Markup.Escape(last.Name)}); "
                + $"after the last: tier {last.Tier}, stage {last.LifecycleStage}."
        );
        return ExitCodes.Success;
    }

    private static Table TimelineTable(IReadOnlyList<TimelineEntry> entries)
    {
        var table = new Table()
            .AddColumn(new TableColumn("Version").RightAligned())
            .AddColumn("Event")
            .AddColumn("Occurred")
            .AddColumn("Recorded")
            .AddColumn("Who")
            .AddColumn("Tier")
            .AddColumn("Stage")
            .AddColumn(new TableColumn("Rating").RightAligned())
            .AddColumn(new TableColumn("CSAT %").RightAligned())
            .AddColumn("What changed");
        foreach (var entry in entries)
        {
            var after = entry.After;
            table.AddRow(
                entry.Event.Version.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(entry.Event.Type),
                Format(entry.Event.OccurredAt),
                Format(entry.Event.RecordedAt),
                Markup.Escape(entry.Metadata.Actor ?? "-"),
                after.Tier.ToString(),
                after.LifecycleStage.ToString(),
                after.Satisfaction.LatestRating?.ToString(CultureInfo.InvariantCulture) ?? "-",
                after.Satisfaction.Csat?.ToString("0.##", CultureInfo.InvariantCulture) ?? "-",
                Markup.Escape(Changes(entry.Changes))
            );
        }
        return table;
    }

    private static string Changes(IReadOnlyList<FieldChange> changes) =>
        changes.Count == 0
            ? "-"
            : string.Join('\n', changes.Select(c => $"{c.Field}: {c.Before ?? "∅"} → {c.After ?? "∅"}"));

    private static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
