using System.Globalization;
using Npgsql;
using RelationshipLedger.Application;
using RelationshipLedger.Cli.Tests.Support;
using RelationshipLedger.EventStore;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Cli.Tests.Commands;

/// <summary><c>ledger migrate</c>: the whole schema, event store and read models. Each test starts from a database of its own.</summary>
public sealed class MigrateCommandTests
{
    private static readonly IReadOnlyList<Migration> EveryScript =
    [
        .. SchemaMigrator.Migrations,
        .. LedgerSchema.ReadModelMigrations,
    ];

    [Fact]
    public async Task Migrate_creates_the_whole_schema_on_an_empty_database()
    {
        await using var database = await TestDatabase.CreateAsync(migrated: false);

        var result = await MigrateAsync(database);

        result.AssertExitCode(ExitCodes.Success);
        Assert.Equal(EveryScript.Select(m => m.Version), await AppliedVersionsAsync(database));
        foreach (
            var table in new[]
            {
                "ledger.events",
                "ledger.streams",
                "ledger.customer_overview",
                "ledger.customer_snapshots",
                "ledger.api_keys",
                "ledger.idempotency_keys",
            }
        )
            Assert.True(await TableExistsAsync(database, table), $"{table} is missing after migrate.");
        var applied = ConsoleTable.In(result.Output);
        Assert.Equal(
            EveryScript.Select(m => m.Version.ToString("0000", CultureInfo.InvariantCulture)),
            applied.Column("Version")
        );
        Assert.Equal(EveryScript.Select(m => m.Name), applied.Column("Script"));
        result.AssertOutputContains($"Applied {EveryScript.Count} script(s)");
    }

    [Fact]
    public async Task Migrate_applies_only_the_scripts_the_database_lacks()
    {
        await using var database = await TestDatabase.CreateAsync(migrated: true);

        var result = await MigrateAsync(database);

        result.AssertExitCode(ExitCodes.Success);
        Assert.Equal(
            LedgerSchema.ReadModelMigrations.Select(m => m.Name),
            ConsoleTable.In(result.Output).Column("Script")
        );
        Assert.Equal(EveryScript.Select(m => m.Version), await AppliedVersionsAsync(database));
    }

    [Fact]
    public async Task Migrate_on_a_current_schema_applies_nothing()
    {
        await using var database = await TestDatabase.CreateAsync(migrated: false);
        (await MigrateAsync(database)).AssertExitCode(ExitCodes.Success);

        var again = await MigrateAsync(database);

        again.AssertExitCode(ExitCodes.Success);
        again.AssertOutputContains("already current");
        Assert.Empty(ConsoleTable.AllIn(again.Output));
    }

    [Fact]
    public async Task A_migrated_empty_database_takes_an_import()
    {
        await using var database = await TestDatabase.CreateAsync(migrated: false);
        (await MigrateAsync(database)).AssertExitCode(ExitCodes.Success);
        using var file = NdjsonFile.Write(
            """{"customerId":"first","type":"CustomerRegistered","occurredAt":"2024-01-02T09:00:00Z","data":{"name":"First","kind":"Individual"}}"""
        );

        var result = await CliProcess.RunAsync(["import", file.Path, "--connection", database.ConnectionString]);

        result.AssertExitCode(ExitCodes.Success);
        Assert.Single(await StoredEvent.ReadStreamAsync(database.DataSource, "first"));
    }

    [Fact]
    public async Task A_command_on_a_database_without_the_schema_says_to_migrate_first()
    {
        await using var database = await TestDatabase.CreateAsync(migrated: false);

        var result = await CliProcess.RunAsync(["verify", "--connection", database.ConnectionString]);

        result.AssertExitCode(ExitCodes.Failure);
        result.AssertErrorsContain("Run 'ledger migrate' first");
        result.AssertNoStackTrace();
    }

    [Fact]
    public async Task Migrate_against_a_server_that_is_not_there_fails_with_a_message()
    {
        // Port 1 on the loopback interface: nothing listens there, so the connection is refused at once.
        var result = await CliProcess.RunAsync(["migrate", "--connection", "Host=127.0.0.1;Port=1;Database=ledger"]);

        result.AssertExitCode(ExitCodes.Failure);
        result.AssertErrorsContain("Could not talk to PostgreSQL");
        result.AssertNoStackTrace();
    }

    private static Task<CliResult> MigrateAsync(TestDatabase database) =>
        CliProcess.RunAsync(["migrate", "--connection", database.ConnectionString]);

    private static async Task<IReadOnlyList<int>> AppliedVersionsAsync(TestDatabase database)
    {
        await using var command = database.DataSource.CreateCommand(
            "select version from ledger.schema_migrations order by version"
        );
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<int>();
        while (await reader.ReadAsync())
            versions.Add(reader.GetInt32(0));
        return versions;
    }

    private static async Task<bool> TableExistsAsync(TestDatabase database, string table)
    {
        await using var command = database.DataSource.CreateCommand("select to_regclass($1) is not null");
        command.Parameters.Add(new NpgsqlParameter { Value = table });
        return await command.ExecuteScalarAsync() is true;
    }
}
