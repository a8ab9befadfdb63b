using System.CommandLine;
using RelationshipLedger.Application;
using RelationshipLedger.EventStore.Daemon;
using RelationshipLedger.EventStore.Rebuilds;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands;

/// <summary><c>ledger projections list</c>: every asynchronous read model with its state, position, lag, holder and last rebuild.</summary>
internal static class ProjectionsListCommand
{
    public static Command Create()
    {
        var command = new Command("list", "Every asynchronous read model: state, position, lag, holder, last rebuild.");
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        await using var connection = await LedgerConnection.OpenAsync(parseResult, cancellationToken);
        var store = new LedgerApplication(connection).Store;
        var statuses = (
            await new ProjectionOperations(connection.DataSource).ListAsync(cancellationToken)
        ).ToDictionary(s => s.Name);
        var rebuilds = new RebuildOperations(connection.DataSource);
        var table = new Table()
            .AddColumn("Projection")
            .AddColumn("State")
            .AddColumn("Position")
            .AddColumn(new TableColumn("Lag (events)").RightAligned())
            .AddColumn("Holder")
            .AddColumn("Last rebuild");
        foreach (var projection in LedgerServices.CreateAsyncProjections(store.Serializer))
        {
            var latest = await rebuilds.LatestAsync(projection.Name, cancellationToken);
            var rebuild = latest is null ? "never" : $"{latest.Id}: {latest.State}";
            if (statuses.TryGetValue(projection.Name, out var status))
                table.AddRow(
                    Markup.Escape(status.Name),
                    status.State.ToString(),
                    status.Position.ToString(),
                    $"{status.LagEvents:N0}",
                    Markup.Escape(status.Holder ?? "none"),
                    rebuild
                );
            else
                table.AddRow(Markup.Escape(projection.Name), "not started", "-", "-", "none", rebuild);
        }
        Output.Results.Write(table);
        return ExitCodes.Success;
    }
}
