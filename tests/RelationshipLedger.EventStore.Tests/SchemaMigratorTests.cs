using Npgsql;
using RelationshipLedger.Testing;

namespace RelationshipLedger.EventStore.Tests;

public sealed class SchemaMigratorTests : IAsyncLifetime
{
    private const string RecordedMigrations =
        "select coalesce(string_agg(m::text, E'\\n' order by m.version), '') from ledger.schema_migrations m";

    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(migrated: false);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Migrating_an_empty_database_applies_every_script_in_order()
    {
        var scripts = SchemaMigrator.Migrations;
        Assert.Equal(scripts.Select(m => m.Version).Order(), scripts.Select(m => m.Version));
        Assert.Equal([1, 2], scripts.Select(m => m.Version).Take(2));
        Assert.Null(await SchemaMigrator.CurrentVersionAsync(_database.DataSource));

        var applied = await SchemaMigrator.MigrateAsync(_database.DataSource);

        Assert.Equal(scripts.Select(m => m.Version), applied);
        Assert.Equal(scripts[^1].Version, await SchemaMigrator.CurrentVersionAsync(_database.DataSource));
        Assert.Equal(
            scripts.Select(m => $"{m.Version} {m.Name} {m.Checksum}"),
            await RecordedAsync(
                "select version || ' ' || name || ' ' || checksum from ledger.schema_migrations order by version"
            )
        );
        var store = TestStores.Create(_database);
        var appended = await store.AppendAsync("c-1", ExpectedVersion.NoStream, [new(new AccountOpened("Acme"))]);
        Assert.Equal(1, appended.StreamVersion);
    }

    [Fact]
    public async Task Migrating_again_applies_nothing_and_records_nothing()
    {
        await SchemaMigrator.MigrateAsync(_database.DataSource);
        var recorded = await LedgerSql.ScalarAsync<string>(_database.DataSource, RecordedMigrations);

        var second = await SchemaMigrator.MigrateAsync(_database.DataSource);

        Assert.Empty(second);
        Assert.Equal(recorded, await LedgerSql.ScalarAsync<string>(_database.DataSource, RecordedMigrations));
        Assert.Equal(
            SchemaMigrator.Migrations[^1].Version,
            await SchemaMigrator.CurrentVersionAsync(_database.DataSource)
        );
    }

    [Fact]
    public async Task Migrations_started_at_once_on_an_empty_database_all_succeed_and_apply_each_script_once()
    {
        const int processes = 6;
        var dataSources = Enumerable
            .Range(0, processes)
            .Select(_ => NpgsqlDataSource.Create(_database.ConnectionString))
            .ToArray();
        try
        {
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var migrations = dataSources
                .Select(async dataSource =>
                {
                    await start.Task;
                    return await SchemaMigrator.MigrateAsync(dataSource);
                })
                .ToArray();
            start.SetResult();
            var applied = await Task.WhenAll(migrations);

            Assert.Equal(SchemaMigrator.Migrations.Select(m => m.Version), Assert.Single(applied, a => a.Count > 0));
            Assert.Equal(processes - 1, applied.Count(a => a.Count == 0));
            Assert.Equal(
                SchemaMigrator.Migrations.Select(m => $"{m.Version} x1"),
                await RecordedAsync(
                    "select version || ' x' || count(*) from ledger.schema_migrations group by version order by version"
                )
            );
        }
        finally
        {
            foreach (var dataSource in dataSources)
                await dataSource.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_script_changed_after_it_was_applied_stops_migration_with_a_clear_message()
    {
        await SchemaMigrator.MigrateAsync(_database.DataSource);
        await _database.TamperAsync(
            "update ledger.schema_migrations set checksum = 'not the released script' where version = 1"
        );

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            SchemaMigrator.MigrateAsync(_database.DataSource)
        );

        Assert.Contains(
            "Schema script 1 (event_log) was changed after it was applied",
            failure.Message,
            StringComparison.Ordinal
        );
        Assert.Contains("add a new numbered script", failure.Message, StringComparison.Ordinal);
    }

    private async Task<List<string>> RecordedAsync(string sql)
    {
        await using var command = _database.DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(reader.GetString(0));
        return rows;
    }
}
