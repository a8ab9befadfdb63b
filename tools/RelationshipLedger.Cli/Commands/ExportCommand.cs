using System.CommandLine;
using System.Diagnostics;
using System.Text;
using RelationshipLedger.Application.Feed;
using RelationshipLedger.EventStore;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands;

/// <summary>
/// <c>ledger export --format ndjson|csv [--after CURSOR] [--types T,…] [--output FILE]</c>: the global
/// log, or the part of it after a cursor and of some types, in gap-free order, to standard output or a
/// file, written as it is read (constant memory), with progress on standard error. It ends where a
/// reader of the log is caught up and says which cursor continues from there. Exit code 2 for a bad
/// cursor, type or output path; a file is written whole or not at all.
/// </summary>
internal static class ExportCommand
{
    private static readonly Option<string> FormatOption = new Option<string>("--format")
    {
        Description =
            "ndjson: one event per line as the feed shows it; csv: RFC 4180 with the columns of docs/feed.md.",
        HelpName = "ndjson|csv",
        Required = true,
    }.AcceptOnlyFromAmong("ndjson", "csv");

    private static readonly Option<string?> AfterOption = new("--after")
    {
        Description =
            "Only events after this position (TX-SEQ: a feed cursor, or the last position of an earlier export).",
        HelpName = "cursor",
    };

    private static readonly Option<string[]> TypesOption = new("--types")
    {
        Description = "Only events of these types (comma-separated, or the option repeated).",
        HelpName = "type,…",
        AllowMultipleArgumentsPerToken = true,
    };

    private static readonly Option<FileInfo?> OutputOption = new("--output", "-o")
    {
        Description = "Write to this file (replaced when the export is complete) instead of standard output.",
        HelpName = "file",
    };

    public static Command Create()
    {
        var command = new Command("export", "Export the event log as NDJSON or CSV, in global order.")
        {
            FormatOption,
            AfterOption,
            TypesOption,
            OutputOption,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var request = Request(parseResult);
        var file = parseResult.GetValue(OutputOption);
        if (file is not null && !(file.Directory?.Exists ?? false))
            throw new UsageException($"Cannot write '{file.FullName}': its directory does not exist.");

        await using var connection = await LedgerConnection.OpenAsync(parseResult, cancellationToken);
        Output.Errors.MarkupLine($"Database: {Markup.Escape(connection.Source)}");
        var exporter = new LedgerApplication(connection).Exporter;
        // A live bar would tangle with the data when both go to the same terminal.
        var showProgress = file is not null || Console.IsOutputRedirected;
        var result = file is null
            ? await ToStandardOutputAsync(exporter, request, showProgress, cancellationToken)
            : await ToFileAsync(exporter, request, file, cancellationToken);
        Output.Errors.MarkupLine(
            $"Exported {result.Events:N0} event(s) to {Markup.Escape(file?.FullName ?? "standard output")}. "
                + $"Continue with [bold]--after {result.Last}[/]."
        );
        return ExitCodes.Success;
    }

    private static ExportRequest Request(ParseResult parseResult)
    {
        var after = GlobalPosition.Start;
        if (parseResult.GetValue(AfterOption) is { } cursor && !GlobalPosition.TryParse(cursor, out after))
            throw new UsageException(
                $"--after '{cursor}' is not a position of the log: give TX-SEQ as the feed or an earlier export gave it (e.g. 7412-118)."
            );
        var types = EventTypeSelection.Parse(parseResult.GetValue(TypesOption) ?? []);
        if (!types.IsValid)
            throw new UsageException(
                $"--types names event types the ledger does not write: {string.Join(", ", types.Unknown)}. "
                    + $"Known types: {EventTypeSelection.KnownNames}."
            );
        return new ExportRequest
        {
            Format = parseResult.GetValue(FormatOption) == "csv" ? ExportFormat.Csv : ExportFormat.Ndjson,
            After = after,
            Types = types.Types,
        };
    }

    private static async Task<ExportResult> ToStandardOutputAsync(
        EventExporter exporter,
        ExportRequest request,
        bool showProgress,
        CancellationToken cancellationToken
    )
    {
        await using var output = new StreamWriter(
            Console.OpenStandardOutput(),
            new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            bufferSize: 1 << 16,
            leaveOpen: true
        );
        return showProgress
            ? await WithProgressAsync(exporter, request, output, cancellationToken)
            : await exporter.ExportAsync(output, request, cancellationToken: cancellationToken);
    }

    /// <summary>Writes beside the file and moves it into place when complete, so a failed export leaves no half file.</summary>
    private static async Task<ExportResult> ToFileAsync(
        EventExporter exporter,
        ExportRequest request,
        FileInfo file,
        CancellationToken cancellationToken
    )
    {
        var partial = Path.Combine(file.DirectoryName!, $".{file.Name}.{Guid.NewGuid():N}.partial");
        try
        {
            ExportResult result;
            await using (var output = OpenForWriting(partial))
                result = await WithProgressAsync(exporter, request, output, cancellationToken);
            File.Move(partial, file.FullName, overwrite: true);
            return result;
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private static StreamWriter OpenForWriting(string path)
    {
        try
        {
            return new StreamWriter(path, append: false, new UTF8Encoding(false), bufferSize: 1 << 16);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot write '{path}': {exception.Message}", exception);
        }
    }

    private static async Task<ExportResult> WithProgressAsync(
        EventExporter exporter,
        ExportRequest request,
        TextWriter output,
        CancellationToken cancellationToken
    )
    {
        var total = await exporter.CountAsync(request, cancellationToken);
        return await Output
            .Errors.Progress()
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn()
            )
            .StartAsync(async context =>
            {
                var task = context.AddTask("Events", maxValue: Math.Max(total, 1));
                var clock = Stopwatch.StartNew();
                var progress = new ProgressReporter<ExportProgress>(p =>
                {
                    // Events that commit during the export are exported too: the total only grows.
                    task.MaxValue = Math.Max(task.MaxValue, p.Events);
                    task.Value = p.Events;
                    var rate = p.Events / Math.Max(clock.Elapsed.TotalSeconds, 0.001);
                    task.Description = $"Events {p.Events:N0} of {task.MaxValue:N0} ({rate:N0}/s)";
                });
                var result = await exporter.ExportAsync(output, request, progress, cancellationToken);
                task.Value = task.MaxValue;
                return result;
            });
    }
}
