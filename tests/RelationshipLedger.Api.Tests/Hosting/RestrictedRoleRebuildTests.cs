using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Npgsql;
using RelationshipLedger.Api.Tests.Support;
using RelationshipLedger.Application;
using RelationshipLedger.Application.SatisfactionHistory;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Api.Tests.Hosting;

/// <summary>
/// The API on the restricted role (<see cref="SeparateDatabaseRoles"/>, as docker-compose.yml runs it)
/// rebuilds a projection blue/green through the owner's functions while writers append, and keeps its
/// rights on the swapped-in table; a privilege the role lacks answers <c>database-permission-denied</c>,
/// not the outage's <c>database-unavailable</c>.
/// </summary>
public sealed class RestrictedRoleRebuildTests
{
    private const string Key = "rlk_test_restricted_rebuild_0123456789";
    private const string Satisfaction = SatisfactionHistoryProjection.ProjectionName;
    private const string Table = "ledger." + SatisfactionHistoryProjection.PointsTable;

    [Fact]
    public async Task The_restricted_role_rebuilds_while_writers_append_and_keeps_its_rights_on_the_swapped_in_table()
    {
        await using var roles = await MigratedAsync();
        await using var factory = Api(roles.ApiConnectionString);
        using var client = Client(factory);
        var surveys = 0;
        for (var c = 0; c < 4; c++)
            surveys += await SurveysAsync(client, $"rebuilt-{c}", count: 5);
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 2).Select(w => WriteUntilStoppedAsync(client, $"writer-{w}", stop.Token));
        var writing = Task.WhenAll(writers);

        using var started = await client.PostAsync($"/admin/projections/{Satisfaction}/rebuild", null);
        Assert.True(
            started.StatusCode == HttpStatusCode.Accepted,
            $"{(int)started.StatusCode}: {await started.Content.ReadAsStringAsync()}"
        );
        var id = (await started.ReadJsonAsync()).GetProperty("id").GetInt64();
        var done = await FinishedAsync(client, id);
        await stop.CancelAsync();
        surveys += (await writing).Sum();

        Assert.True(done.GetProperty("state").GetString() == "Completed", done.GetRawText());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("error").ValueKind);
        // Writers moved the live model between the two hashes, or did not: never a difference.
        Assert.NotEqual(JsonValueKind.False, done.GetProperty("matchesLive").ValueKind);
        // The swapped-in table is the owner's, and the API's role keeps its rights on it.
        Assert.Equal(
            roles.Migrator,
            await ScalarAsync<string>(
                roles,
                $"select tableowner from pg_tables where schemaname = 'ledger' and tablename = '{SatisfactionHistoryProjection.PointsTable}'"
            )
        );
        Assert.True(
            await ScalarAsync<bool>(
                roles,
                $"select has_table_privilege('{roles.Api}', '{Table}', 'SELECT, INSERT, UPDATE, DELETE')"
            )
        );
        Assert.Equal(
            0L,
            await ScalarAsync<long>(roles, $"select count(*) from pg_class where relname like '%\\_rebuild'")
        );

        // A further survey is projected by the daemon into the swapped-in table.
        surveys += await SurveysAsync(client, "after-swap", count: 1);
        await CaughtUpAsync(client);
        Assert.Equal(
            1L,
            await ScalarAsync<long>(roles, $"select count(*) from {Table} where customer_id = 'after-swap'")
        );
        Assert.Equal((long)surveys, await ScalarAsync<long>(roles, $"select count(*) from {Table}"));

        // The live model now equals a replay from scratch: a second rebuild, with no writer, matches it.
        using var again = await client.PostAsync($"/admin/projections/{Satisfaction}/rebuild", null);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var second = await FinishedAsync(client, (await again.ReadJsonAsync()).GetProperty("id").GetInt64());
        Assert.True(second.GetProperty("state").GetString() == "Completed", second.GetRawText());
        Assert.True(second.GetProperty("matchesLive").GetBoolean());
        Assert.Equal((long)surveys, second.GetProperty("contentHash").GetProperty("rows").GetInt64());
        var live = await client.GetJsonAsync($"/admin/projections/{Satisfaction}/content-hash");
        Assert.Equal(
            second.GetProperty("contentHash").GetProperty("hash").GetString(),
            live.GetProperty("hash").GetString()
        );
    }

    [Fact]
    public async Task A_privilege_the_role_lacks_answers_503_database_permission_denied_and_dead_letters_nothing()
    {
        await using var roles = await MigratedAsync();
        await using var factory = Api(roles.ApiConnectionString);
        using var client = Client(factory);
        await SurveysAsync(client, "denied", count: 1);
        await CaughtUpAsync(client);

        // The daemon meets a read model it may not write: it retries, again and again, and dead-letters nothing.
        await ExecuteAsync(roles.MigratorDataSource, $"revoke insert, update, delete on {Table} from {roles.Api}");
        await client.CommandAsync("/customers/denied/surveys", new { surveyId = "s-1", rating = 2 });
        var refused = await RetryingOnPermissionAsync(client, after: null);
        await RetryingOnPermissionAsync(client, after: refused.GetProperty("updatedAt").GetDateTimeOffset());

        // A projection whose tables the owner did not list as rebuildable: the owner's functions refuse it.
        await ExecuteAsync(
            roles.MigratorDataSource,
            $"delete from ledger.rebuildable_tables where table_name = '{SatisfactionHistoryProjection.PointsTable}'"
        );
        await DeniedAsync(await client.PostAsync($"/admin/projections/{Satisfaction}/rebuild", null));

        await ExecuteAsync(roles.MigratorDataSource, $"revoke select, insert on ledger.events from {roles.Api}");
        await DeniedAsync(await client.GetAsync("/customers/denied/events"));
        await DeniedAsync(
            await client.PostJsonAsync("/customers/denied/surveys", new { surveyId = "s-denied", rating = 4 })
        );
        await ExecuteAsync(roles.MigratorDataSource, $"revoke select on ledger.schema_migrations from {roles.Api}");
        using (var health = await client.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Equal(
                "Denied",
                (await health.ReadJsonAsync()).GetProperty("database").GetProperty("status").GetString()
            );
            Assert.False(health.Headers.Contains("Retry-After"));
        }
        Assert.Equal(3L, await ScalarAsync<long>(roles, "select count(*) from ledger.events"));

        // Granted again, everything goes on by itself: the daemon projects the survey it could not write.
        await ApiDatabaseRole.GrantAsync(roles.MigratorDataSource, roles.Api);
        Assert.Equal(3, (await client.EventsAsync("denied")).Length);
        await CaughtUpAsync(client);
        Assert.Equal(2L, await ScalarAsync<long>(roles, $"select count(*) from {Table} where customer_id = 'denied'"));
        Assert.Equal(0L, await ScalarAsync<long>(roles, "select count(*) from ledger.projection_dead_letters"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    /// <summary>
    /// The satisfaction history retrying on a refused privilege, its failure recorded after <paramref name="after"/>:
    /// two of them in a row are two failed attempts, each of which would count towards a dead letter if
    /// the failure were blamed on the event (this API dead-letters after two).
    /// </summary>
    private static Task<JsonElement> RetryingOnPermissionAsync(HttpClient client, DateTimeOffset? after) =>
        Eventually.ReturnsAsync(
            async () =>
                (await client.GetJsonAsync("/admin/projections"))
                    .GetProperty("projections")
                    .EnumerateArray()
                    .Single(p => p.GetProperty("name").GetString() == Satisfaction),
            p =>
            {
                Assert.NotEqual("Paused", p.GetProperty("state").GetString());
                return p.GetProperty("state").GetString() == "Retrying"
                    && p.GetProperty("lastError").GetString()!.Contains("permission denied", StringComparison.Ordinal)
                    && (after is null || p.GetProperty("updatedAt").GetDateTimeOffset() > after);
            },
            "the satisfaction history to retry on a refused privilege",
            TimeSpan.FromMinutes(1)
        );

    /// <summary>The schema migrated by the migrator, and the API's rights granted to the API role.</summary>
    private static async Task<SeparateDatabaseRoles> MigratedAsync()
    {
        var roles = await SeparateDatabaseRoles.CreateAsync();
        try
        {
            await LedgerSchema.MigrateAsync(roles.MigratorDataSource);
            await ApiDatabaseRole.GrantAsync(roles.MigratorDataSource, roles.Api);
            return roles;
        }
        catch
        {
            await roles.DisposeAsync();
            throw;
        }
    }

    private static async Task DeniedAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var problem = await ProblemAssert.IsProblemAsync(
                response,
                HttpStatusCode.ServiceUnavailable,
                "database-permission-denied"
            );
            Assert.False(response.Headers.Contains("Retry-After"));
            Assert.Contains("--grant-api-role", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            var text = problem.GetRawText();
            Assert.DoesNotContain("PostgresException", text, StringComparison.Ordinal);
            Assert.DoesNotContain("42501", text, StringComparison.Ordinal);
            Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
        }
    }

    private static LedgerApiFactory Api(string connectionString) =>
        new(
            new Dictionary<string, string>
            {
                ["ConnectionStrings:Ledger"] = connectionString,
                ["LEDGER_BOOTSTRAP_KEY"] = Key,
                ["Ledger:Schema"] = "Verify",
                ["Ledger:Daemon:PollInterval"] = "00:00:00.100",
                ["Ledger:Daemon:RetryBaseDelay"] = "00:00:00.010",
                ["Ledger:Daemon:MaxRetryDelay"] = "00:00:00.200",
                ["Ledger:Daemon:MaxAttempts"] = "2",
                // Small batches: the rebuild takes many transactions while the writers append.
                ["Ledger:Rebuilds:BatchSize"] = "4",
            }
        );

    private static HttpClient Client(LedgerApiFactory factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return client;
    }

    /// <summary>Registers the customer and records <paramref name="count"/> surveys: the surveys recorded.</summary>
    private static async Task<int> SurveysAsync(HttpClient client, string customerId, int count)
    {
        await client.RegisterAsync(customerId);
        for (var i = 0; i < count; i++)
            await client.CommandAsync(
                $"/customers/{customerId}/surveys",
                new { surveyId = $"s-{i}", rating = 1 + i % 5 }
            );
        return count;
    }

    /// <summary>Records surveys of one customer until <paramref name="stop"/>; each request runs to its answer.</summary>
    private static async Task<int> WriteUntilStoppedAsync(HttpClient client, string customerId, CancellationToken stop)
    {
        await Task.Yield();
        await client.RegisterAsync(customerId);
        var written = 0;
        while (!stop.IsCancellationRequested)
        {
            await client.CommandAsync(
                $"/customers/{customerId}/surveys",
                new { surveyId = $"s-{written}", rating = 1 + written % 5 }
            );
            written++;
        }
        return written;
    }

    private static Task<JsonElement> FinishedAsync(HttpClient client, long id) =>
        Eventually.ReturnsAsync(
            () => client.GetJsonAsync($"/admin/rebuilds/{id}"),
            r => r.GetProperty("state").GetString() is "Completed" or "Failed",
            $"rebuild {id} to finish",
            TimeSpan.FromMinutes(2)
        );

    private static Task<JsonElement> CaughtUpAsync(HttpClient client) =>
        Eventually.ReturnsAsync(
            () => client.GetJsonAsync("/admin/projections"),
            answer =>
                answer
                    .GetProperty("projections")
                    .EnumerateArray()
                    .Any(p =>
                        p.GetProperty("name").GetString() == Satisfaction
                        && p.GetProperty("lagEvents").GetInt64() == 0
                        && p.GetProperty("state").GetString() == "Running"
                    ),
            "the satisfaction history to catch up",
            TimeSpan.FromMinutes(1)
        );

    private static async Task<T> ScalarAsync<T>(SeparateDatabaseRoles roles, string sql)
    {
        await using var command = roles.Database.DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
