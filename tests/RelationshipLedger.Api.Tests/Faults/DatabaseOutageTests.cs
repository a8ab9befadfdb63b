using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
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
    /// <summary>Longer than the API's connect timeout: a request that reaches it has hung.</summary>
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(20);

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
            await using var factory = new LedgerApiFactory(
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
            var load = LightLoadAsync(recorder, admin, loaded, stopLoad.Token);

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

            await stopLoad.CancelAsync();
            var outcomes = await load;
            Assert.All(outcomes, outcome => Assert.True(outcome is "200" or "503", $"A request under load: {outcome}"));
            Assert.Contains("200", outcomes);

            var verified = await admin.GetJsonAsync("/ledger/verify");
            Assert.True(verified.GetProperty("valid").GetBoolean(), verified.GetRawText());
            await RebuildAgreement.AssertEveryProjectionEqualsItsRebuildAsync(admin);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
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
    private static Task<List<string>> LightLoadAsync(
        HttpClient writer,
        HttpClient reader,
        string customerId,
        CancellationToken stop
    ) =>
        Task.Run(async () =>
        {
            var outcomes = new List<string>();
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                outcomes.Add(
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
                outcomes.Add(await OutcomeAsync(() => reader.GetAsync($"/customers/{customerId}")));
            }
            return outcomes;
        });

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

    private static HttpClient Client(LedgerApiFactory factory, string key)
    {
        var client = factory.CreateClient();
        client.Timeout = ClientTimeout;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
