using Npgsql;
using RelationshipLedger.Application;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Customers.Caching;
using RelationshipLedger.Cli.Tests.Support;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.EventStore;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Cli.Tests.Commands;

/// <summary>
/// <c>ledger migrate --grant-api-role</c> on real PostgreSQL: a login role given the API's rights appends and
/// reads through the store and the command handler, finds the schema current without DDL, and is refused
/// (permission denied, SQLSTATE 42501) when it tries to UPDATE, DELETE or TRUNCATE <c>ledger.events</c> or to
/// change the schema. Each test makes a database and a role of its own, and drops both.
/// </summary>
public sealed class ApiDatabaseRoleTests
{
    private const string InsufficientPrivilege = "42501";

    [Fact]
    public async Task The_api_role_appends_and_reads_but_may_not_update_delete_or_truncate_events()
    {
        await using var database = await TestDatabase.CreateAsync(migrated: false);
        await using var role = await LoginRole.CreateAsync(database);

        (
            await CliProcess.RunAsync([
                "migrate",
                "--grant-api-role",
                role.Name,
                "--connection",
                database.ConnectionString,
            ])
        )
            .AssertExitCode(ExitCodes.Success)
            .AssertOutputContains($"Granted role {role.Name}");

        await using var asApi = LedgerDatabase.CreateDataSource(role.ConnectionString);
        Assert.Empty(await LedgerSchema.MissingVersionsAsync(asApi));
        var cache = new CustomerStateCache();
        var store = LedgerServices.CreateStore(asApi, LifecycleRules.Default, cache);
        var handler = new CustomerCommandHandler(store, new CustomerStateLoader(store, cache));
        await handler.HandleAsync(
            "role-c1",
            new CustomerCommand.RegisterCustomer("Role Test GmbH", CustomerKind.Organization)
            {
                IssuedAt = DateTimeOffset.UtcNow,
            },
            new CommandContext("role-test")
        );
        await handler.HandleAsync(
            "role-c1",
            new CustomerCommand.RecordPurchase("order-1", 120m, "EUR") { IssuedAt = DateTimeOffset.UtcNow },
            new CommandContext("role-test")
        );
        var events = await store.ReadStreamAsync("role-c1").ToListAsync();
        Assert.Equal(2, events.Count);

        foreach (
            var forbidden in new[]
            {
                "update ledger.events set type = 'Changed'",
                "delete from ledger.events",
                "truncate ledger.events",
                "create table ledger.intruder (id int)",
                "drop table ledger.customer_overview",
            }
        )
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(asApi, forbidden));
            Assert.True(
                refused.SqlState == InsufficientPrivilege,
                $"'{forbidden}' failed with {refused.SqlState} ({refused.MessageText}), not permission denied."
            );
        }
        Assert.Equal(2, await CountEventsAsync(database.DataSource));
    }

    [Fact]
    public async Task A_role_without_the_grants_cannot_even_read_the_events()
    {
        await using var database = await TestDatabase.CreateAsync(migrated: true);
        await using var role = await LoginRole.CreateAsync(database);
        await using var asRole = LedgerDatabase.CreateDataSource(role.ConnectionString);

        var refused = await Assert.ThrowsAsync<PostgresException>(() =>
            ExecuteAsync(asRole, "select count(*) from ledger.events")
        );

        Assert.Equal(InsufficientPrivilege, refused.SqlState);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountEventsAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("select count(*) from ledger.events");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A login role of the test cluster, dropped (with its grants in the database) on dispose.</summary>
    private sealed class LoginRole : IAsyncDisposable
    {
        private const string Password = "api-role-test";
        private readonly TestDatabase _database;

        private LoginRole(TestDatabase database, string name)
        {
            _database = database;
            Name = name;
            ConnectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString)
            {
                Username = name,
                Password = Password,
            }.ConnectionString;
        }

        public string Name { get; }

        public string ConnectionString { get; }

        public static async Task<LoginRole> CreateAsync(TestDatabase database)
        {
            var name = $"ledger_api_{Guid.NewGuid():N}"[..24];
            await ExecuteAsync(database.DataSource, $"create role {name} login password '{Password}'");
            return new LoginRole(database, name);
        }

        public async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(_database.DataSource, $"drop owned by {Name}; drop role {Name}");
        }
    }
}
