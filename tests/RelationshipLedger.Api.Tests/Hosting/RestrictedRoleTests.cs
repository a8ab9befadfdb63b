using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Npgsql;
using RelationshipLedger.Application;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Api.Tests.Hosting;

/// <summary>
/// The API on a database role with the API's rights only (<c>ApiDatabaseRole</c>: no DDL, only INSERT and
/// SELECT on events) and <c>Ledger:Schema</c> = <c>Verify</c>, as docker-compose.yml runs it: it starts on a
/// schema the owner migrated, and records and reads; on a schema that is not migrated it refuses to start.
/// </summary>
public sealed class RestrictedRoleTests
{
    private const string Key = "rlk_test_restricted_role_0123456789";

    [Fact]
    public async Task The_api_as_the_restricted_role_starts_on_a_migrated_schema_records_and_reads()
    {
        await using var database = await TestDatabase.CreateAsync(migrated: false);
        await LedgerSchema.MigrateAsync(database.DataSource);
        var role = await CreateLoginRoleAsync(database);
        try
        {
            await ApiDatabaseRole.GrantAsync(database.DataSource, role.Name);
            await using var factory = Api(role.ConnectionString);
            using var client = factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);

            using var registered = await client.PostAsJsonAsync(
                "/customers",
                new
                {
                    customerId = "restricted-1",
                    name = "Restricted GmbH",
                    kind = "Organization",
                }
            );
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
            using var purchase = await client.PostAsJsonAsync(
                "/customers/restricted-1/purchases",
                new
                {
                    orderId = "o-1",
                    amount = 40m,
                    currency = "EUR",
                }
            );
            Assert.Equal(HttpStatusCode.OK, purchase.StatusCode);
            using var overview = await client.GetAsync("/customers/restricted-1");
            Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
            using var events = await client.GetAsync("/customers/restricted-1/events");
            Assert.Equal(HttpStatusCode.OK, events.StatusCode);
        }
        finally
        {
            await DropRoleAsync(database, role.Name);
        }
    }

    [Fact]
    public async Task Verify_refuses_to_start_on_a_database_that_was_not_migrated()
    {
        await using var database = await TestDatabase.CreateAsync(migrated: false);
        await using var factory = Api(database.ConnectionString);

        var refused = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("lacks schema versions", refused.ToString(), StringComparison.Ordinal);
        Assert.Null(await SchemaVersionAsync(database));
    }

    private static LedgerApiFactory Api(string connectionString) =>
        new(
            new Dictionary<string, string>
            {
                ["ConnectionStrings:Ledger"] = connectionString,
                ["LEDGER_BOOTSTRAP_KEY"] = Key,
                ["Ledger:Schema"] = "Verify",
            }
        );

    private static async Task<int?> SchemaVersionAsync(TestDatabase database) =>
        await RelationshipLedger.EventStore.SchemaMigrator.CurrentVersionAsync(database.DataSource);

    private static async Task<(string Name, string ConnectionString)> CreateLoginRoleAsync(TestDatabase database)
    {
        var name = $"ledger_api_{Guid.NewGuid():N}"[..24];
        const string password = "restricted-role-test";
        await ExecuteAsync(database, $"create role {name} login password '{password}'");
        var connection = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            Username = name,
            Password = password,
        };
        return (name, connection.ConnectionString);
    }

    private static async Task DropRoleAsync(TestDatabase database, string name)
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(database, $"drop owned by {name}; drop role {name}");
    }

    private static async Task ExecuteAsync(TestDatabase database, string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
