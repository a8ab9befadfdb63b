using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RelationshipLedger.Application;
using RelationshipLedger.EventStore;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Api.Tests;

public sealed class HealthApiTests
{
    [Fact]
    public async Task Health_reports_the_database_up_after_the_schema_was_applied_at_start()
    {
        await using var database = await TestDatabase.CreateAsync(migrated: false);
        await using var factory = LedgerApiFactory.WithDatabase(database.ConnectionString);
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Equal("Up", health.GetProperty("database").GetProperty("status").GetString());
        Assert.False(health.GetProperty("database").GetProperty("embedded").GetBoolean());
        // The API applies the whole ledger schema: the event store's scripts, then the read models' (1001…).
        var latest = SchemaMigrator.Migrations.Concat(LedgerSchema.ReadModelMigrations).Max(m => m.Version);
        Assert.Equal(latest, health.GetProperty("database").GetProperty("schemaVersion").GetInt32());
        Assert.Equal(latest, await SchemaMigrator.CurrentVersionAsync(database.DataSource));
        // The daemon runs in the API by default and shows each projection, without error texts.
        var daemon = health.GetProperty("daemon");
        Assert.Equal("Running", daemon.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(daemon.GetProperty("node").GetString()));
        Assert.Equal(JsonValueKind.Array, daemon.GetProperty("projections").ValueKind);
    }

    [Fact]
    public async Task Health_is_503_with_retry_after_when_the_database_refuses_connections()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var factory = LedgerApiFactory.WithDatabase(database.ConnectionString);
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);

        await RefuseConnectionsAsync(database.Name);
        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Headers.RetryAfter is not null);
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Unhealthy", health.GetProperty("status").GetString());
        Assert.Equal("Down", health.GetProperty("database").GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(health.GetProperty("database").GetProperty("error").GetString()));
        await AllowConnectionsAsync(database.Name);
    }

    [Fact]
    public async Task Without_a_connection_string_the_api_runs_on_an_embedded_cluster_that_persists_across_runs()
    {
        var dataDirectory = Path.Combine("/tmp", $"relationship-ledger-api-test-{Guid.NewGuid():N}");
        try
        {
            await using (var firstRun = LedgerApiFactory.WithEmbeddedCluster(dataDirectory))
            {
                using var client = firstRun.CreateClient();
                var health = await client.GetFromJsonAsync<JsonElement>("/health");
                Assert.True(health.GetProperty("database").GetProperty("embedded").GetBoolean());
                var store = firstRun.Services.GetRequiredService<NpgsqlDataSource>();
                await using var mark = store.CreateCommand(
                    "create table public.survives_restart (id int); insert into public.survives_restart values (42)"
                );
                await mark.ExecuteNonQueryAsync();
            }

            await using var secondRun = LedgerApiFactory.WithEmbeddedCluster(dataDirectory);
            using var secondClient = secondRun.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await secondClient.GetAsync("/health")).StatusCode);
            var dataSource = secondRun.Services.GetRequiredService<NpgsqlDataSource>();
            await using var read = dataSource.CreateCommand("select id from public.survives_restart");
            Assert.Equal(42, await read.ExecuteScalarAsync());
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task RefuseConnectionsAsync(string databaseName)
    {
        await ExecuteOnServerAsync($"alter database {databaseName} allow_connections false");
        await ExecuteOnServerAsync(
            $"select pg_terminate_backend(pid) from pg_stat_activity where datname = '{databaseName}'"
        );
        NpgsqlConnection.ClearAllPools();
    }

    private static Task AllowConnectionsAsync(string databaseName) =>
        ExecuteOnServerAsync($"alter database {databaseName} allow_connections true");

    private static async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(await TestCluster.ConnectionStringForAsync("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
