using System.CommandLine;
using RelationshipLedger.EventStore;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands;

/// <summary><c>ledger migrate</c>: brings the ledger schema up to date and says what it applied.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Apply the ledger's schema scripts that the database does not have yet.");
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        await using var connection = await LedgerConnection.OpenAsync(parseResult, cancellationToken);
        Output.Results.MarkupLine($"Database: {Markup.Escape(connection.Source)}");
        var applied = await SchemaMigrator.MigrateAsync(connection.DataSource, cancellationToken);
        var current = await SchemaMigrator.CurrentVersionAsync(connection.DataSource, cancellationToken);
        if (applied.Count == 0)
        {
            Output.Results.MarkupLine(
                $"[green]The schema is already current[/] (version {current}); nothing to apply."
            );
            return ExitCodes.Success;
        }
        var table = new Table().AddColumn("Version").AddColumn("Script");
        foreach (var migration in SchemaMigrator.Migrations.Where(m => applied.Contains(m.Version)))
            table.AddRow($"{migration.Version:0000}", Markup.Escape(migration.Name));
        Output.Results.Write(table);
        Output.Results.MarkupLine($"[green]Applied {applied.Count} script(s)[/]; the schema is at version {current}.");
        return ExitCodes.Success;
    }
}
