using System.CommandLine;
using RelationshipLedger.Application;
using RelationshipLedger.EventStore;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands;

/// <summary>
/// <c>ledger migrate</c>: brings the whole ledger schema up to date — the event store's scripts and the
/// read models' (the inline overview, idempotency keys, snapshots) — and says what it applied.
/// </summary>
internal static class MigrateCommand
{
    private static readonly Option<string?> GrantApiRole = new("--grant-api-role")
    {
        Description =
            "After migrating, grant this existing role the API's rights: read and write the read models, but only "
            + "INSERT and SELECT on ledger.events, no DDL (docs/operations.md). Run as the schema's owner.",
        HelpName = "role",
    };

    public static Command Create()
    {
        var command = new Command(
            "migrate",
            "Apply the ledger's schema scripts (event store and read models) that the database does not have yet."
        )
        {
            GrantApiRole,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        await using var connection = await LedgerConnection.OpenAsync(parseResult, cancellationToken);
        Output.Results.MarkupLine($"Database: {Markup.Escape(connection.Source)}");
        var applied = await LedgerSchema.MigrateAsync(connection.DataSource, cancellationToken);
        var current = await SchemaMigrator.CurrentVersionAsync(connection.DataSource, cancellationToken);
        if (parseResult.GetValue(GrantApiRole) is { } role)
        {
            if (string.IsNullOrWhiteSpace(role))
                throw new UsageException("--grant-api-role needs a role name.");
            await ApiDatabaseRole.GrantAsync(connection.DataSource, role, cancellationToken);
            Output.Results.MarkupLine(
                $"Granted role [bold]{Markup.Escape(role)}[/] the API's rights (INSERT and SELECT only on ledger.events)."
            );
        }
        if (applied.Count == 0)
        {
            Output.Results.MarkupLine(
                $"[green]The schema is already current[/] (version {current}); nothing to apply."
            );
            return ExitCodes.Success;
        }
        var table = new Table().AddColumn("Version").AddColumn("Script");
        foreach (
            var migration in SchemaMigrator
                .Migrations.Concat(LedgerSchema.ReadModelMigrations)
                .Where(m => applied.Contains(m.Version))
        )
            table.AddRow($"{migration.Version:0000}", Markup.Escape(migration.Name));
        Output.Results.Write(table);
        Output.Results.MarkupLine($"[green]Applied {applied.Count} script(s)[/]; the schema is at version {current}.");
        return ExitCodes.Success;
    }
}
