using System.Net;
using System.Net.Http.Json;
using RelationshipLedger.Api.Tests.Support;

namespace RelationshipLedger.Api.Tests.Customers;

/// <summary>If-Match makes a command conditional on the stream version that ETag gave: 412 when it moved on.</summary>
public sealed class IfMatchTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    [Fact]
    public async Task The_etag_of_the_overview_is_the_stream_version()
    {
        var id = LedgerHttp.NewCustomerId("etag");
        await api.Bootstrap.RegisterAsync(id);
        await api.Recorder.CommandAsync($"/customers/{id}/surveys", new { surveyId = "s-1", rating = 5 });

        var response = await api.Bootstrap.GetAsync($"/customers/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
        Assert.Equal(2, (await response.ReadJsonAsync()).GetProperty("version").GetInt64());
    }

    [Theory]
    [InlineData("\"2\"")]
    [InlineData("W/\"2\"")]
    [InlineData("*")]
    public async Task A_command_whose_if_match_holds_appends(string ifMatch)
    {
        var id = LedgerHttp.NewCustomerId("if-match");
        await api.Bootstrap.RegisterAsync(id);
        await api.Recorder.CommandAsync($"/customers/{id}/surveys", new { surveyId = "s-1", rating = 5 });
        Assert.Equal("\"2\"", (await api.Bootstrap.GetAsync($"/customers/{id}")).Headers.ETag?.Tag);

        var response = await api.Recorder.PostJsonAsync(
            $"/customers/{id}/surveys",
            new { surveyId = "s-2", rating = 4 },
            ifMatch: ifMatch
        );

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"3\"", response.Headers.ETag?.Tag);
        Assert.Equal(3, (await response.Content.ReadFromJsonAsync<CommandAnswer>(LedgerHttp.Json))!.Version);
        Assert.Equal(3, (await api.MarkAsync(id)).StreamEvents);
    }

    [Fact]
    public async Task A_stale_if_match_is_a_412_with_the_current_version_and_appends_nothing()
    {
        var id = LedgerHttp.NewCustomerId("stale");
        await api.Bootstrap.RegisterAsync(id);
        await api.Recorder.CommandAsync($"/customers/{id}/surveys", new { surveyId = "s-1", rating = 5 });
        var before = await api.MarkAsync(id);

        var response = await api.Recorder.PostJsonAsync(
            $"/customers/{id}/surveys",
            new { surveyId = "s-2", rating = 4 },
            ifMatch: "\"1\""
        );

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.PreconditionFailed, "stale-version");
        Assert.Equal(2, problem.GetProperty("currentVersion").GetInt64());
        await api.AssertNothingAppendedAsync(id, before);
    }

    [Fact]
    public async Task An_if_match_ahead_of_the_stream_is_a_412_and_appends_nothing()
    {
        var id = LedgerHttp.NewCustomerId("ahead");
        await api.Bootstrap.RegisterAsync(id);
        var before = await api.MarkAsync(id);

        var response = await api.Recorder.PostJsonAsync(
            $"/customers/{id}/surveys",
            new { surveyId = "s-1", rating = 4 },
            ifMatch: "\"5\""
        );

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.PreconditionFailed, "stale-version");
        Assert.Equal(1, problem.GetProperty("currentVersion").GetInt64());
        await api.AssertNothingAppendedAsync(id, before);
    }

    [Fact]
    public async Task Of_two_writers_holding_the_same_etag_the_second_gets_a_412()
    {
        var id = LedgerHttp.NewCustomerId("two-writers");
        await api.Bootstrap.RegisterAsync(id);
        var etag = (await api.Bootstrap.GetAsync($"/customers/{id}")).Headers.ETag!.Tag;
        var first = await api.Recorder.PostJsonAsync(
            $"/customers/{id}/owner",
            new { ownerId = "alice", reason = "Hand-over" },
            ifMatch: etag
        );
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var before = await api.MarkAsync(id);

        var second = await api.Recorder.PostJsonAsync(
            $"/customers/{id}/owner",
            new { ownerId = "bob", reason = "Hand-over" },
            ifMatch: etag
        );

        var problem = await ProblemAssert.IsProblemAsync(second, HttpStatusCode.PreconditionFailed, "stale-version");
        Assert.Equal(2, problem.GetProperty("currentVersion").GetInt64());
        await api.AssertNothingAppendedAsync(id, before);
        Assert.Equal("alice", (await api.Bootstrap.GetJsonAsync($"/customers/{id}")).GetProperty("owner").GetString());
    }

    [Fact]
    public async Task If_match_any_on_a_customer_that_does_not_exist_is_a_404_and_appends_nothing()
    {
        var id = LedgerHttp.NewCustomerId("if-match-any");
        var before = await api.MarkAsync(id);

        var response = await api.Recorder.PostJsonAsync(
            $"/customers/{id}/surveys",
            new { surveyId = "s-1", rating = 4 },
            ifMatch: "*"
        );

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "customer-not-found");
        await api.AssertNothingAppendedAsync(id, before);
    }
}
