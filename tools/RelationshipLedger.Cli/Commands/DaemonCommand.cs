using System.CommandLine;
using Microsoft.Extensions.Logging;
using RelationshipLedger.Application;
using RelationshipLedger.EventStore.Daemon;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands;

/// <summary>
/// <c>ledger daemon</c>: runs the projection daemon alone (no HTTP) until Ctrl+C or SIGTERM. Next to
/// API nodes that run it too, each projection still runs in exactly one process; this one takes over
/// the projections whose holder dies. It applies the schema first, as the API does.
/// </summary>
internal static class DaemonCommand
{
    private static readonly Option<string?> NodeOption = new("--node")
    {
        Description = "The name this process shows as the holder of its projections. Default: host/pid.",
        HelpName = "name",
    };

    private static readonly Option<int?> BatchSizeOption = new("--batch-size")
    {
        Description = "The most events applied in one transaction (default 500).",
        HelpName = "events",
    };

    private static readonly Option<bool> VerboseOption = new("--verbose")
    {
        Description = "Also log when a runner stands by, and failures with their stack traces.",
    };

    public static Command Create()
    {
        var command = new Command(
            "daemon",
            "Run the projection daemon (asynchronous read models) until Ctrl+C; one runner per projection across all processes."
        )
        {
            NodeOption,
            BatchSizeOption,
            VerboseOption,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var options = new ProjectionDaemonOptions();
        if (parseResult.GetValue(NodeOption) is { } node)
            options = options with
            {
                NodeName = string.IsNullOrWhiteSpace(node) ? throw new UsageException("--node needs a name.") : node,
            };
        if (parseResult.GetValue(BatchSizeOption) is { } batchSize)
            options = options with
            {
                BatchSize = batchSize is >= 1 and <= 100_000
                    ? batchSize
                    : throw new UsageException("--batch-size takes a number from 1 to 100,000."),
            };

        await using var connection = await LedgerConnection.OpenAsync(parseResult, cancellationToken);
        Output.Results.MarkupLine($"Database: {Markup.Escape(connection.Source)}");
        var applied = await LedgerSchema.MigrateAsync(connection.DataSource, cancellationToken);
        if (applied.Count > 0)
            Output.Results.MarkupLine($"Applied schema scripts {string.Join(", ", applied)}.");

        var application = new LedgerApplication(connection);
        using var log = new ConsoleLog(parseResult.GetValue(VerboseOption) ? LogLevel.Debug : LogLevel.Information);
        var daemon = new ProjectionDaemon(
            application.Store,
            LedgerServices.CreateAsyncProjections(application.Store.Serializer),
            options,
            log
        );
        Output.Results.MarkupLine(
            $"Node [bold]{Markup.Escape(daemon.NodeName)}[/] runs the projection daemon; Ctrl+C stops it."
        );
        await daemon.RunAsync(cancellationToken);
        await ShowStatusAsync(new ProjectionOperations(connection.DataSource));
        return ExitCodes.Success;
    }

    /// <summary>Where every projection was left (read without the cancelled token: the command is ending anyway).</summary>
    private static async Task ShowStatusAsync(ProjectionOperations operations)
    {
        var table = new Table()
            .AddColumn("Projection")
            .AddColumn("State")
            .AddColumn("Position")
            .AddColumn(new TableColumn("Lag (events)").RightAligned())
            .AddColumn("Holder");
        foreach (var status in await operations.ListAsync(CancellationToken.None))
            table.AddRow(
                Markup.Escape(status.Name),
                status.State.ToString(),
                status.Position.ToString(),
                $"{status.LagEvents:N0}",
                Markup.Escape(status.Holder ?? "none")
            );
        Output.Results.Write(table);
        Output.Results.MarkupLine("Stopped.");
    }
}
