using System.CommandLine;
using System.Globalization;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Import;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands;

/// <summary>
/// <c>ledger import FILE</c>: imports NDJSON history (one event per line) through the application's
/// importer, so every line obeys the rules a live command does. Exit code 0 when every line was
/// imported or already there, 1 when some lines failed, 2 when the file cannot be read.
/// </summary>
internal static class ImportCommand
{
    private static readonly Argument<FileInfo> FileArgument = new("file")
    {
        Description =
            "The NDJSON file: { customerId, type, occurredAt, data, eventId? } per line, a stream's lines in order.",
    };

    public static Command Create()
    {
        var command = new Command(
            "import",
            "Import customer history from an NDJSON file, deciding each line as a command."
        )
        {
            FileArgument,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var file = parseResult.GetValue(FileArgument)!;
        if (!file.Exists)
            throw new UsageException($"There is no file '{file.FullName}'.");
        var lineCount = await CountLinesAsync(file, cancellationToken);

        await using var connection = await LedgerConnection.OpenAsync(parseResult, cancellationToken);
        Output.Results.MarkupLine($"Database: {Markup.Escape(connection.Source)}");
        var application = new LedgerApplication(connection);
        using var reader = OpenText(file);
        var report = await Output
            .Results.Progress()
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn()
            )
            .StartAsync(async context =>
            {
                var task = context.AddTask("Lines", maxValue: Math.Max(lineCount, 1));
                var progress = new ProgressReporter<ImportProgress>(p =>
                {
                    task.Value = p.Lines;
                    task.Description =
                        $"Lines (appended {p.Appended:N0}, skipped {p.Skipped:N0}, errors {p.Errors:N0})";
                });
                var result = await application.Importer.ImportAsync(
                    reader,
                    new CommandContext(CliActor.Name) { Reason = $"import {file.Name}" },
                    progress,
                    cancellationToken
                );
                task.Value = task.MaxValue;
                return result;
            });
        Output.Results.MarkupLine(
            $"{report.Customers:N0} customer(s): [green]{report.Appended:N0} appended[/], {report.Skipped:N0} already there, "
                + $"{report.NotAppended:N0} not appended after a bad line, "
                + (report.Errors.Count == 0 ? "no errors." : $"[red]{report.Errors.Count:N0} error(s)[/].")
        );
        if (report.Errors.Count == 0)
            return ExitCodes.Success;
        Output.Results.Write(ErrorTable(report.Errors));
        return ExitCodes.CheckFailed;
    }

    private static StreamReader OpenText(FileInfo file)
    {
        try
        {
            return new StreamReader(file.FullName);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot read '{file.FullName}': {exception.Message}", exception);
        }
    }

    private static async Task<long> CountLinesAsync(FileInfo file, CancellationToken cancellationToken)
    {
        using var reader = OpenText(file);
        long count = 0;
        while (await reader.ReadLineAsync(cancellationToken) is not null)
            count++;
        return count;
    }

    private static Table ErrorTable(IReadOnlyList<ImportError> errors)
    {
        var table = new Table()
            .AddColumn(new TableColumn("Line").RightAligned())
            .AddColumn("Customer")
            .AddColumn("Problem");
        foreach (var error in errors)
            table.AddRow(
                error.Line.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(error.CustomerId ?? "-"),
                Markup.Escape(error.Problem)
            );
        return table;
    }
}
