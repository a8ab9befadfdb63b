using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RelationshipLedger.Api.Tests.Support;
using RelationshipLedger.Application.Security;

namespace RelationshipLedger.Api.Tests.Security;

/// <summary>Every route but /health and the API description needs a known API key: 401 otherwise, and nothing is appended.</summary>
public sealed class AuthenticationTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    private const string Survey = """{"surveyId":"s-1","rating":5}""";

    [Fact]
    public async Task A_command_without_a_key_is_a_401_and_appends_nothing()
    {
        var id = LedgerHttp.NewCustomerId("no-key");
        await api.Bootstrap.RegisterAsync(id);
        var before = await api.MarkAsync(id);
        using var anonymous = api.Anonymous();

        var response = await anonymous.PostTextAsync($"/customers/{id}/surveys", Survey);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        await api.AssertNothingAppendedAsync(id, before);
    }

    [Theory]
    [InlineData("Bearer", "rlk_not-a-key-anyone-was-given")]
    [InlineData("Bearer", "")]
    public async Task A_command_with_an_unknown_key_is_a_401_and_appends_nothing(string scheme, string key)
    {
        var id = LedgerHttp.NewCustomerId("unknown-key");
        await api.Bootstrap.RegisterAsync(id);
        var before = await api.MarkAsync(id);
        using var stranger = api.Anonymous();
        stranger.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"{scheme} {key}".Trim());

        var response = await stranger.PostTextAsync($"/customers/{id}/surveys", Survey);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
        await api.AssertNothingAppendedAsync(id, before);
    }

    [Fact]
    public async Task An_unknown_key_in_x_api_key_is_a_401_and_appends_nothing()
    {
        var id = LedgerHttp.NewCustomerId("unknown-x-key");
        await api.Bootstrap.RegisterAsync(id);
        var before = await api.MarkAsync(id);
        using var stranger = api.Anonymous();
        stranger.DefaultRequestHeaders.Add("X-Api-Key", "rlk_not-a-key-anyone-was-given");

        var response = await stranger.PostTextAsync($"/customers/{id}/surveys", Survey);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
        await api.AssertNothingAppendedAsync(id, before);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/events")]
    [InlineData("/verify")]
    public async Task A_query_without_a_key_is_a_401(string route)
    {
        var id = LedgerHttp.NewCustomerId("no-key-query");
        await api.Bootstrap.RegisterAsync(id);
        var before = await api.MarkAsync(id);
        using var anonymous = api.Anonymous();

        var response = await anonymous.GetAsync($"/customers/{id}{route}");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
        await api.AssertNothingAppendedAsync(id, before);
    }

    [Fact]
    public async Task A_key_sent_as_x_api_key_is_accepted_and_its_name_is_the_actor()
    {
        var id = LedgerHttp.NewCustomerId("x-api-key");
        await api.Bootstrap.RegisterAsync(id);
        var keys = api.Factory.Services.GetRequiredService<ApiKeyStore>();
        var key = await keys.CreateAsync("field-tablet", [Roles.Recorder]);
        using var client = api.Anonymous();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);

        var response = await client.PostTextAsync($"/customers/{id}/surveys", Survey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var recorded = (await api.Bootstrap.EventsAsync(id))[^1];
        Assert.Equal("field-tablet", recorded.GetProperty("metadata").GetProperty("actor").GetString());
    }

    [Fact]
    public async Task A_revoked_key_is_a_401_and_appends_nothing()
    {
        var id = LedgerHttp.NewCustomerId("revoked");
        await api.Bootstrap.RegisterAsync(id);
        var keys = api.Factory.Services.GetRequiredService<ApiKeyStore>();
        using var client = api.ClientWithKey(await keys.CreateAsync("departed-desk", [Roles.Recorder]));
        Assert.Equal(HttpStatusCode.OK, (await client.PostTextAsync($"/customers/{id}/surveys", Survey)).StatusCode);
        Assert.True(await keys.RevokeAsync("departed-desk"));
        var before = await api.MarkAsync(id);

        var response = await client.PostTextAsync($"/customers/{id}/surveys", """{"surveyId":"s-2","rating":5}""");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
        await api.AssertNothingAppendedAsync(id, before);
    }

    [Fact]
    public async Task Health_needs_no_key()
    {
        using var anonymous = api.Anonymous();

        var response = await anonymous.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Headers.WwwAuthenticate);
    }
}
