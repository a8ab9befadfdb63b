using Npgsql;
using RelationshipLedger.Application;
using RelationshipLedger.Application.Abc;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Customers.Caching;
using RelationshipLedger.Application.SatisfactionHistory;
using RelationshipLedger.Cli.Tests.Support;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Rebuilds;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Cli.Tests.Commands;

/// <summary>
/// The owner's rebuild functions (migration 0010) on a database laid out as deployed: a migrator that owns
/// the schema and ran <c>ledger migrate --grant-api-role</c>, and the API's role. A rebuild by the migrator
/// from the CLI leaves the API role its rights on the swapped-in tables, and the API role rebuilds through
/// the functions; the functions refuse it any table that is not listed as a projection's, and any name
/// that is not a plain table name.
/// </summary>
public sealed class RebuildsByTheApiRoleTests
{
    private const string InsufficientPrivilege = "42501";
    private const string InvalidName = "42602";

    [Fact]
    public async Task A_rebuild_by_the_migrator_from_the_cli_leaves_the_api_role_its_rights_and_the_api_role_rebuilds_after_it()
    {
        await using var roles = await MigratedAsync();
        await using var asApi = LedgerDatabase.CreateDataSource(roles.ApiConnectionString);
        var store = LedgerServices.CreateStore(asApi, LifecycleRules.Default, new CustomerStateCache());
        await RebuildableCustomers.WriteAsync(store, new CustomerStateCache(), "role-test", withPurchases: true);

        foreach (
            var projection in new[]
            {
                SatisfactionHistoryProjection.ProjectionName,
                AbcRevenueProjection.ProjectionName,
            }
        )
            (
                await CliProcess.RunAsync([
                    "projections",
                    "rebuild",
                    projection,
                    "--connection",
                    roles.MigratorConnectionString,
                ])
            )
                .AssertExitCode(ExitCodes.Success)
                .AssertOutputContains($"Rebuilt {projection}");

        string[] tables =
        [
            SatisfactionHistoryProjection.PointsTable,
            AbcRevenueProjection.CustomersTable,
            AbcRevenueProjection.RevenueTable,
        ];
        foreach (var table in tables)
        {
            Assert.Equal(roles.Migrator, await OwnerAsync(roles, table));
            Assert.True(
                await ScalarAsync<bool>(
                    roles.Database.DataSource,
                    $"select has_table_privilege('{roles.Api}', 'ledger.{table}', 'SELECT, INSERT, UPDATE, DELETE')"
                ),
                $"The API role lost its rights on ledger.{table} in the migrator's rebuild."
            );
        }

        // The API's role rebuilds through the owner's functions: its shadow takes the swapped-in table's grants.
        var rebuilder = new ProjectionRebuilder(store, new RebuildOptions { BatchSize = 3 });
        foreach (
            var projection in LedgerServices
                .CreateAsyncProjections(store.Serializer)
                .Where(p =>
                    p.Name is SatisfactionHistoryProjection.ProjectionName or AbcRevenueProjection.ProjectionName
                )
        )
        {
            await using var rebuild = (await rebuilder.TryStartAsync(projection))!;
            var result = await rebuild.RunAsync();
            Assert.True(
                result.Hashes.MatchesLive,
                $"The API role's rebuild of {projection.Name} differs from the migrator's."
            );
            Assert.True(result.Hashes.Shadow.Rows > 0);
        }
        foreach (var table in tables)
            Assert.Equal(roles.Migrator, await OwnerAsync(roles, table));
    }

    [Fact]
    public async Task The_functions_refuse_the_api_role_a_table_that_is_not_a_projections_and_a_name_that_is_not_a_table_name()
    {
        await using var roles = await MigratedAsync();
        await using var asApi = LedgerDatabase.CreateDataSource(roles.ApiConnectionString);

        foreach (
            var (function, table) in new[]
            {
                ("rebuild_create_shadows", "events"),
                ("rebuild_swap_shadows", "events"),
                ("rebuild_drop_shadows", "schema_migrations"),
                ("rebuild_create_shadows", "api_keys"),
                ("rebuild_swap_shadows", "rebuildable_tables"),
                ("rebuild_create_shadows", "projection_checkpoints"),
            }
        )
            await AssertRefusedAsync(asApi, $"select ledger.{function}(array['{table}'])", InsufficientPrivilege);
        foreach (var name in new[] { "satisfaction_points; drop table ledger.events", "Events", "ledger.events", "" })
            await AssertRefusedAsync(
                asApi,
                $"select ledger.rebuild_swap_shadows(array['{name.Replace("'", "''", StringComparison.Ordinal)}'])",
                InvalidName
            );
        // The list of projection tables is the owner's: the API role may read it, not add to it.
        await AssertRefusedAsync(
            asApi,
            "insert into ledger.rebuildable_tables (table_name, projection) values ('events', 'events')",
            InsufficientPrivilege
        );
        await AssertRefusedAsync(
            asApi,
            "update ledger.rebuildable_tables set table_name = 'events'",
            InsufficientPrivilege
        );
        // The grant-copying helper runs with its caller's rights only: it cannot widen the API role's.
        try
        {
            await ExecuteAsync(asApi, "select ledger.rebuild_copy_grants('ledger.api_keys', 'ledger.events')");
        }
        catch (PostgresException refused) when (refused.SqlState == InsufficientPrivilege) { }

        var source = roles.Database.DataSource;
        Assert.False(
            await ScalarAsync<bool>(
                source,
                $"select has_table_privilege('{roles.Api}', 'ledger.events', 'UPDATE') "
                    + $"or has_table_privilege('{roles.Api}', 'ledger.events', 'DELETE')"
            )
        );
        Assert.Equal(
            0L,
            await ScalarAsync<long>(source, "select count(*) from pg_class where relname like '%\\_rebuild'")
        );
        Assert.Equal(
            2L,
            await ScalarAsync<long>(
                source,
                "select count(*) from pg_trigger where tgrelid = 'ledger.events'::regclass and not tgisinternal"
            )
        );
    }

    [Fact]
    public async Task Every_projection_of_the_ledger_lists_its_tables_as_rebuildable()
    {
        await using var database = await TestDatabase.CreateAsync(migrated: false);
        await LedgerSchema.MigrateAsync(database.DataSource);
        var store = LedgerServices.CreateStore(database.DataSource, LifecycleRules.Default, new CustomerStateCache());
        var listed = new List<(string, string)>();
        await using (
            var command = database.DataSource.CreateCommand(
                "select table_name, projection from ledger.rebuildable_tables"
            )
        )
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                listed.Add((reader.GetString(0), reader.GetString(1)));

        var declared = LedgerServices
            .CreateAsyncProjections(store.Serializer)
            .SelectMany(p => p.Tables.Select(t => (t, p.Name)));

        Assert.Equal(declared.Order(), listed.Order());
    }

    private static async Task<SeparateDatabaseRoles> MigratedAsync()
    {
        var roles = await SeparateDatabaseRoles.CreateAsync();
        try
        {
            (
                await CliProcess.RunAsync([
                    "migrate",
                    "--grant-api-role",
                    roles.Api,
                    "--connection",
                    roles.MigratorConnectionString,
                ])
            ).AssertExitCode(ExitCodes.Success);
            return roles;
        }
        catch
        {
            await roles.DisposeAsync();
            throw;
        }
    }

    private static async Task AssertRefusedAsync(NpgsqlDataSource dataSource, string sql, string sqlState)
    {
        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(dataSource, sql));
        Assert.True(
            refused.SqlState == sqlState,
            $"'{sql}' failed with {refused.SqlState} ({refused.MessageText}), not {sqlState}."
        );
    }

    private static Task<string> OwnerAsync(SeparateDatabaseRoles roles, string table) =>
        ScalarAsync<string>(
            roles.Database.DataSource,
            $"select tableowner::text from pg_tables where schemaname = 'ledger' and tablename = '{table}'"
        );

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
