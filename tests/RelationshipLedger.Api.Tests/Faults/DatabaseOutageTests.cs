using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RelationshipLedger.Api.Security;
using RelationshipLedger.Api.Tests.Support;
using RelationshipLedger.Application.Security;
using RelationshipLedger.EventStore;
using RelationshipLedger.LocalPostgres;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Api.Tests.Faults;

/// <summary>
/// Issue 6, item 4: PostgreSQL stopped under a light load. The API answers 503 problems with
/// Retry-After (never a 500, never past the client's timeout), /health says the database is down,
/// and once PostgreSQL is back on its port everything recovers without a restart of the API.
/// </summary>
public sealed class DatabaseOutageTests
{
    /// <summary>
    /// Longer than the API's connect timeout (5 s) with room for a busy machine, shorter than Npgsql's
    /// default (15 s): a request still waiting for its database when it runs out has hung.
    /// </summary>
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(12);

    [Theory]
    [InlineData("fast")]
    [InlineData("immediate")]
    public async Task With_PostgreSQL_stopped_the_API_answers_503_with_Retry_After_and_recovers_by_itself_when_it_returns(
        string shutdown
    )
    {
        // A cluster of its own: this test stops it.
        var cluster = await LocalCluster.StartAsync(LocalClusterOptions.Temporary());
        try
        {
            var connectionString = cluster.ConnectionStringFor("ledger");
            await LedgerDatabase.EnsureDatabaseExistsAsync(connectionString);
            var bootstrapKey = $"rlk_test_{Guid.NewGuid():N}";
            await using var factory = Factory(connectionString, bootstrapKey);
            using var admin = Client(factory, bootstrapKey);
            // A stored key: authenticating it needs the database too.
            var recorderKey = await factory
                .Services.GetRequiredService<ApiKeyStore>()
                .CreateAsync("outage-recorder", [Roles.Recorder]);
            using var recorder = Client(factory, recorderKey);
            var surveyed = LedgerHttp.NewCustomerId("outage");
            var loaded = LedgerHttp.NewCustomerId("outage-load");
            await admin.RegisterAsync(surveyed);
            await admin.RegisterAsync(loaded);
            await recorder.CommandAsync($"/customers/{surveyed}/surveys", new { surveyId = "before", rating = 2 });
            await SatisfactionPointsAsync(admin, surveyed, ["before"]);

            using var stopLoad = new CancellationTokenSource();
            var outcomes = new ConcurrentQueue<string>();
            var load = LightLoadAsync(recorder, admin, loaded, outcomes, stopLoad.Token);

            if (shutdown == "fast")
                await cluster.StopAsync();
            else
                await cluster.CrashAsync();

            var after = new { surveyId = "after", rating = 5 };
            var afterKey = $"outage-after-{Guid.NewGuid():N}";
            await AssertUnavailableAsync(
                await recorder.PostJsonAsync($"/customers/{surveyed}/surveys", after, afterKey)
            );
            await AssertUnavailableAsync(
                await admin.PostJsonAsync(
                    $"/customers/{surveyed}/contacts",
                    new
                    {
                        channel = "Phone",
                        initiator = "Company",
                        purpose = "Service",
                    }
                )
            );
            foreach (
                var path in new[]
                {
                    $"/customers/{surveyed}",
                    $"/customers/{surveyed}/satisfaction",
                    $"/customers/{surveyed}/events",
                    "/customers",
                    "/admin/projections",
                    "/ledger/verify",
                }
            )
                await AssertUnavailableAsync(await admin.GetAsync(path));
            var health = await admin.GetAsync("/health");
            var report = await health.ReadJsonAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.NotNull(health.Headers.RetryAfter);
            Assert.Equal("Unhealthy", report.GetProperty("status").GetString());
            Assert.Equal("Down", report.GetProperty("database").GetProperty("status").GetString());
            Assert.False(string.IsNullOrWhiteSpace(report.GetProperty("database").GetProperty("error").GetString()));

            await cluster.RestartOnSamePortAsync();

            // The same command with the same key, until the API has its database back.
            await Eventually.IsTrueAsync(
                async () =>
                {
                    using var response = await recorder.PostJsonAsync(
                        $"/customers/{surveyed}/surveys",
                        after,
                        afterKey
                    );
                    if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                        return false;
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    return true;
                },
                "the survey to be accepted after PostgreSQL returned"
            );
            await Eventually.IsTrueAsync(
                async () => (await admin.GetAsync("/health")).StatusCode == HttpStatusCode.OK,
                "/health to answer 200"
            );
            Assert.Equal("Healthy", (await admin.GetJsonAsync("/health")).GetProperty("status").GetString());
            // The daemon took its projections up again where their checkpoints were.
            await SatisfactionPointsAsync(admin, surveyed, ["before", "after"]);

            var recovered = outcomes.Count;
            await Eventually.IsTrueAsync(
                () => Task.FromResult(outcomes.Skip(recovered).Contains("200") || load.IsCompleted),
                "the load to be served again"
            );
            await stopLoad.CancelAsync();
            await load;
            Assert.All(outcomes, outcome => Assert.True(outcome is "200" or "503", $"A request under load: {outcome}"));
            Assert.Contains("200", outcomes.Skip(recovered));

            var verified = await admin.GetJsonAsync("/ledger/verify");
            Assert.True(verified.GetProperty("valid").GetBoolean(), verified.GetRawText());
            await RebuildAgreement.AssertEveryProjectionEqualsItsRebuildAsync(admin);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_database_that_stops_answering_gets_503s_before_the_client_gives_up_and_recovers_when_it_answers_again()
    {
        await using var database = await TestDatabase.CreateAsync(migrated: false);
        var direct = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var upstream = (await Dns.GetHostAddressesAsync(direct.Host!))[0];
        await using var proxy = new SilenceableProxy(new IPEndPoint(upstream, direct.Port));
        var viaProxy = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            Host = IPAddress.Loopback.ToString(),
            Port = proxy.Port,
        }.ConnectionString;
        var bootstrapKey = $"rlk_test_{Guid.NewGuid():N}";
        await using var factory = Factory(viaProxy, bootstrapKey);
        using var admin = Client(factory, bootstrapKey);
        var customer = LedgerHttp.NewCustomerId("silent");
        await admin.RegisterAsync(customer);

        proxy.FallSilent();
        // No idle connection to find broken: each request has to open one, and wait for an answer.
        factory.Services.GetRequiredService<NpgsqlDataSource>().Clear();
        var survey = new { surveyId = "while-silent", rating = 4 };
        var key = $"silent-{Guid.NewGuid():N}";
        await AssertUnavailableAsync(await admin.PostJsonAsync($"/customers/{customer}/surveys", survey, key));
        await AssertUnavailableAsync(await admin.GetAsync($"/customers/{customer}"));
        var health = await admin.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("Down", (await health.ReadJsonAsync()).GetProperty("database").GetProperty("status").GetString());

        proxy.Answer();
        await Eventually.IsTrueAsync(
            async () =>
            {
                using var response = await admin.PostJsonAsync($"/customers/{customer}/surveys", survey, key);
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                    return false;
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return true;
            },
            "the survey to be accepted once the database answers again"
        );
        Assert.Equal(2, (await admin.EventsAsync(customer)).Length);
    }

    /// <summary>A 503 <c>database-unavailable</c> problem with Retry-After, answered before the client's timeout.</summary>
    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        using (response)
        {
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable, "database-unavailable");
            Assert.True(
                response.Headers.RetryAfter?.Delta > TimeSpan.Zero,
                $"{response.RequestMessage?.RequestUri} answered without a Retry-After."
            );
        }
    }

    /// <summary>Waits until the customer's satisfaction history (an asynchronous projection) has exactly these surveys.</summary>
    private static Task SatisfactionPointsAsync(HttpClient client, string customerId, string[] surveys) =>
        Eventually.IsTrueAsync(
            async () =>
            {
                var points = (await client.GetJsonAsync($"/customers/{customerId}/satisfaction"))
                    .GetProperty("points")
                    .GetArrayLength();
                Assert.True(points <= surveys.Length, $"{points} points for {surveys.Length} surveys.");
                return points == surveys.Length;
            },
            $"the satisfaction history of {customerId} to show the surveys {string.Join(", ", surveys)}"
        );

    /// <summary>
    /// One request after another until stopped: a contact with a key of its own, then the customer's
    /// overview. Each outcome is its status code, or the exception's type when no answer came.
    /// </summary>
    private static Task LightLoadAsync(
        HttpClient writer,
        HttpClient reader,
        string customerId,
        ConcurrentQueue<string> outcomes,
        CancellationToken stop
    ) =>
        Task.Run(
            async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    outcomes.Enqueue(
                        await OutcomeAsync(() =>
                            writer.PostJsonAsync(
                                $"/customers/{customerId}/contacts",
                                new
                                {
                                    channel = "Email",
                                    initiator = "Customer",
                                    purpose = "Service",
                                },
                                $"load-{customerId}-{i}"
                            )
                        )
                    );
                    outcomes.Enqueue(await OutcomeAsync(() => reader.GetAsync($"/customers/{customerId}")));
                }
            },
            CancellationToken.None
        );

    private static async Task<string> OutcomeAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            using var response = await send();
            return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return exception.GetType().Name;
        }
    }

    /// <summary>The API against <paramref name="connectionString"/>, its daemon polling and retrying quickly.</summary>
    private static LedgerApiFactory Factory(string connectionString, string bootstrapKey) =>
        new(
            new Dictionary<string, string>
            {
                ["ConnectionStrings:Ledger"] = connectionString,
                [BootstrapKey.Setting] = bootstrapKey,
                ["RateLimiting:Enabled"] = "false",
                ["Ledger:ChurnWatch:Enabled"] = "false",
                ["Ledger:Daemon:PollInterval"] = "00:00:00.100",
                ["Ledger:Daemon:StandbyRetryInterval"] = "00:00:00.050",
                ["Ledger:Daemon:RetryBaseDelay"] = "00:00:00.010",
                ["Ledger:Daemon:MaxRetryDelay"] = "00:00:00.200",
            }
        );

    private static HttpClient Client(LedgerApiFactory factory, string key)
    {
        var client = factory.CreateClient();
        client.Timeout = ClientTimeout;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
