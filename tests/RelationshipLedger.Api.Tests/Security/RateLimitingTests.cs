using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using RelationshipLedger.Api.Tests.Support;
using RelationshipLedger.Application.Security;

namespace RelationshipLedger.Api.Tests.Security;

/// <summary>
/// The API with a rate limit so small it cannot refill during a test: <see cref="Burst"/> requests per key,
/// then one every 1000 s. So the request after the burst is refused whatever the machine's speed, no waiting.
/// </summary>
public sealed class TinyRateLimitFixture : ConfiguredApiFixture
{
    public const int Burst = 3;

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("RateLimiting:Enabled", "true");
        builder.UseSetting("RateLimiting:PermitsPerSecond", "0.001");
        builder.UseSetting("RateLimiting:Burst", $"{Burst}");
    }
}

/// <summary>
/// Per-key rate limiting: a key over its limit gets a 429 problem with Retry-After and its command appends
/// nothing, while other keys go on; requests without a known key share their address's bucket; /health is never
/// limited. Each test uses keys of its own, since a bucket does not refill during the test run.
/// </summary>
public sealed class RateLimitingTests(TinyRateLimitFixture api) : IClassFixture<TinyRateLimitFixture>
{
    [Fact]
    public async Task A_key_over_its_limit_gets_429_with_retry_after_while_another_key_still_succeeds()
    {
        using var busy = await api.ClientWithRolesAsync("busy-dashboard", Roles.Reader);
        using var quiet = await api.ClientWithRolesAsync("quiet-dashboard", Roles.Reader);

        for (var i = 0; i < TinyRateLimitFixture.Burst; i++)
            Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("/portfolio/abc")).StatusCode);
        var refused = await busy.GetAsync("/portfolio/abc");

        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests, "rate-limited");
        var retryAfter = int.Parse(
            Assert.Single(refused.Headers.GetValues("Retry-After")),
            NumberStyles.None,
            CultureInfo.InvariantCulture
        );
        Assert.InRange(retryAfter, 1, 1000);
        Assert.Equal(retryAfter, problem.GetProperty("retryAfterSeconds").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await quiet.GetAsync("/portfolio/abc")).StatusCode);
    }

    [Fact]
    public async Task A_command_over_the_limit_is_a_429_and_appends_nothing()
    {
        using var setup = await api.ClientWithRolesAsync("limit-setup", Roles.Recorder);
        using var auditor = await api.ClientWithRolesAsync("limit-auditor", Roles.Auditor);
        using var recorder = await api.ClientWithRolesAsync("limit-recorder", Roles.Recorder);
        var id = LedgerHttp.NewCustomerId("limited");
        await setup.RegisterAsync(id);
        for (var i = 0; i < TinyRateLimitFixture.Burst; i++)
            await recorder.CommandAsync($"/customers/{id}/surveys", new { surveyId = $"s-{i}", rating = 5 });

        var refused = await recorder.PostJsonAsync($"/customers/{id}/surveys", new { surveyId = "s-late", rating = 1 });

        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Equal(1 + TinyRateLimitFixture.Burst, (await auditor.EventsAsync(id)).Length);
    }

    [Fact]
    public async Task Requests_without_a_known_key_share_their_address_bucket_and_health_is_never_limited()
    {
        using var stranger = api.Anonymous();
        stranger.DefaultRequestHeaders.Add("X-Api-Key", "rlk_guessing");
        using var anonymous = api.Anonymous();
        using var reader = await api.ClientWithRolesAsync("address-neighbour", Roles.Reader);

        for (var i = 0; i < TinyRateLimitFixture.Burst; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/portfolio/abc")).StatusCode);
        var refused = await anonymous.GetAsync("/portfolio/abc");

        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.True(refused.Headers.RetryAfter is not null);
        for (var i = 0; i < TinyRateLimitFixture.Burst + 2; i++)
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/portfolio/abc")).StatusCode);
    }
}
