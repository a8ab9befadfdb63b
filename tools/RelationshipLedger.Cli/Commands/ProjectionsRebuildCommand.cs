using System.CommandLine;
using RelationshipLedger.Application;
using RelationshipLedger.EventStore.Rebuilds;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands;

/// <summary>
/// <c>ledger projections rebuild NAME</c>: a blue/green rebuild in this process, with a progress bar
/// (events done of the total, rate, time left) on standard error; at the end the content hashes of the
/// rebuilt and the live rows. Ctrl+C stops it with the live model untouched; running it again resumes
/// from the rebuild's checkpoint. Exit code 2 for an unknown projection, 3 when another process rebuilds it.
/// </summary>
internal static class ProjectionsRebuildCommand
{
    private static readonly Argument<string> Name = ProjectionsCommand.NameArgument(
        "The projection to rebuild (see 'ledger projections list')."
    );

    private static readonly Option<int?> BatchSizeOption = new("--batch-size")
    {
        Description = "The most events replayed into the shadow tables in one transaction (default 2,000).",
        HelpName = "events",
    };

    public static Command Create()
    {
        var command = new Command(
            "rebuild",
            "Rebuild a read model into shadow tables while the live one serves, then swap it in; resumes an interrupted rebuild."
        )
        {
            Name,
            BatchSizeOption,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var options = new RebuildOptions();
        if (parseResult.GetValue(BatchSizeOption) is { } batchSize)
            options = options with
            {
                BatchSize = batchSize is >= 1 and <= 100_000
                    ? batchSize
                    : throw new UsageException("--batch-size takes a number from 1 to 100,000."),
            };
        await using var connection = await LedgerConnection.OpenAsync(parseResult, cancellationToken);
        Output.Errors.MarkupLine($"Database: {Markup.Escape(connection.Source)}");
        await LedgerSchema.MigrateAsync(connection.DataSource, cancellationToken);
        var store = new LedgerApplication(connection).Store;
        var projection = ProjectionsCommand.Find(store, parseResult.GetValue(Name)!);

        await using var rebuild = await new ProjectionRebuilder(store, options).TryStartAsync(
            projection,
            cancellationToken
        );
        if (rebuild is null)
        {
            Output.Error(
                $"Projection '{projection.Name}' is being rebuilt by another process; 'ledger projections status {projection.Name}' shows how far."
            );
            return ExitCodes.Failure;
        }
        Output.Errors.MarkupLine(
            rebuild.Resumed
                ? $"Resuming rebuild {rebuild.Id} of [bold]{projection.Name}[/] from {rebuild.ResumedFrom}."
                : $"Rebuild {rebuild.Id} of [bold]{projection.Name}[/] into shadow tables; the live model keeps serving."
        );
        var result = await WithProgressAsync(rebuild, cancellationToken);
        Report(result);
        return ExitCodes.Success;
    }

    private static async Task<RebuildResult> WithProgressAsync(
        ProjectionRebuild rebuild,
        CancellationToken cancellationToken
    ) =>
        await Output
            .Errors.Progress()
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn()
            )
            .StartAsync(async context =>
            {
                var task = context.AddTask("Events", maxValue: 1);
                var progress = new ProgressReporter<RebuildProgress>(p =>
                {
                    task.IsIndeterminate = !p.TotalKnown;
                    task.MaxValue = Math.Max(p.EventsTotal, 1);
                    task.Value = p.EventsDone;
                    var left = p.TimeLeft is { } time ? $"ETA {time:hh\\:mm\\:ss}" : "ETA -";
                    task.Description = p.TotalKnown
                        ? $"{p.Phase}: {p.EventsDone:N0} of {p.EventsTotal:N0} events ({p.EventsPerSecond:N0}/s, {left})"
                        : $"{p.Phase}: {p.EventsDone:N0} events ({p.EventsPerSecond:N0}/s), counting the rest";
                });
                var result = await rebuild.RunAsync(progress, cancellationToken);
                task.Value = task.MaxValue;
                return result;
            });

    private static void Report(RebuildResult result)
    {
        var hashes = result.Hashes;
        Output.Results.MarkupLine(
            $"[green]Rebuilt {Markup.Escape(result.Projection)}[/] (rebuild {result.Id}): {result.EventsDone:N0} events, live at {result.Position}."
        );
        Output.Results.MarkupLine(
            $"Content hash of the rebuilt rows: {hashes.Shadow.Hash} ({hashes.Shadow.Rows:N0} rows at {hashes.Shadow.Position})"
        );
        Output.Results.MarkupLine(
            $"Content hash of the live rows:    {hashes.Live.Hash} ({hashes.Live.Rows:N0} rows at {hashes.Live.Position})"
        );
        Output.Results.MarkupLine(
            hashes.MatchesLive switch
            {
                true => "[green]The rebuilt rows equal the live rows.[/]",
                false =>
                    "[yellow]The rebuilt rows differ from the live rows at the same events: the live model had drifted (now replaced).[/]",
                null => "The live model was at other events of its types when hashed, so the two were not compared.",
            }
        );
    }
}
