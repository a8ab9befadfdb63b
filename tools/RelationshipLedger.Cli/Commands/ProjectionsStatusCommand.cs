using System.CommandLine;
using RelationshipLedger.EventStore.Daemon;
using RelationshipLedger.EventStore.Rebuilds;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands;

/// <summary>
/// <c>ledger projections status NAME</c>: one read model's checkpoint, lag, holder and last error, the
/// content hash of its live rows (from one snapshot with its checkpoint), and its latest rebuild.
/// </summary>
internal static class ProjectionsStatusCommand
{
    private static readonly Argument<string> Name = ProjectionsCommand.NameArgument(
        "The projection (see 'ledger projections list')."
    );

    public static Command Create()
    {
        var command = new Command("status", "One read model in detail, with the content hash of its live rows.")
        {
            Name,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        await using var connection = await LedgerConnection.OpenAsync(parseResult, cancellationToken);
        var projection = ProjectionsCommand.Find(new LedgerApplication(connection).Store, parseResult.GetValue(Name)!);
        var status = await new ProjectionOperations(connection.DataSource).GetAsync(projection.Name, cancellationToken);
        var grid = new Grid().AddColumn().AddColumn();
        void Row(string label, string value) => grid.AddRow(label, Markup.Escape(value));
        Row("Projection", projection.Name);
        Row("Tables", string.Join(", ", projection.Tables));
        if (status is null)
            Row("State", "not started (no daemon has run it yet)");
        else
        {
            Row("State", status.State.ToString());
            Row("Position", status.Position.ToString());
            Row("Lag", $"{status.LagEvents:N0} events, {status.LagSeconds:0.###} s");
            Row("Holder", status.Holder ?? "none");
            Row("Events applied", $"{status.EventsApplied:N0}");
            Row("Last error", status.LastError ?? "none");
        }
        var hash = await ContentHashes.ComputeLiveAsync(connection.DataSource, projection, cancellationToken);
        Row("Content hash", $"{hash.Hash} ({hash.Rows:N0} rows at {hash.Position})");
        var latest = await new RebuildOperations(connection.DataSource).LatestAsync(projection.Name, cancellationToken);
        Row(
            "Last rebuild",
            latest is null
                ? "never"
                : $"{latest.Id}: {latest.State}, {latest.EventsDone:N0} of {latest.EventsTotal:N0} events"
                    + (latest.Error is { } error ? $", error: {error}" : "")
        );
        Output.Results.Write(grid);
        return ExitCodes.Success;
    }
}
