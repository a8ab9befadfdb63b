using System.Net;
using RelationshipLedger.Api.Tests.Support;

namespace RelationshipLedger.Api.Tests.Customers;

/// <summary>A customer that was never registered is a 404 problem, for commands and queries alike; a command starts no stream.</summary>
public sealed class UnknownCustomerTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    [Theory]
    [InlineData("purchases", """{"orderId":"o-1","amount":10,"currency":"EUR"}""")]
    [InlineData("surveys", """{"surveyId":"s-1","rating":5}""")]
    [InlineData("owner", """{"ownerId":"bob","reason":"Hand-over"}""")]
    [InlineData("profile", """{"name":"Nobody"}""")]
    [InlineData("reactivate", """{"reason":"Back"}""")]
    [InlineData("complaints/c-1/resolution", """{"resolution":"Replaced","customerAccepted":true}""")]
    public async Task A_command_on_an_unknown_customer_is_a_404_and_starts_no_stream(string route, string body)
    {
        var id = LedgerHttp.NewCustomerId("nobody");
        var before = await api.MarkAsync(id);

        var response = await api.Recorder.PostTextAsync($"/customers/{id}/{route}", body);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "customer-not-found");
        await api.AssertNothingAppendedAsync(id, before);
        Assert.Equal(0, before.StreamEvents);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/tiers")]
    [InlineData("/stages")]
    [InlineData("/satisfaction")]
    [InlineData("/events")]
    [InlineData("/timeline")]
    [InlineData("/verify")]
    public async Task A_query_on_an_unknown_customer_is_a_404(string route)
    {
        var id = LedgerHttp.NewCustomerId("nobody");
        var before = await api.MarkAsync(id);

        var response = await api.Bootstrap.GetAsync($"/customers/{id}{route}");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "customer-not-found");
        await api.AssertNothingAppendedAsync(id, before);
    }

    [Fact]
    public async Task A_customer_asked_about_before_its_registration_was_recorded_is_a_404()
    {
        var id = LedgerHttp.NewCustomerId("not-yet");
        var beforeRegistration = DateTimeOffset.UtcNow.AddMinutes(-1);
        await api.Bootstrap.RegisterAsync(id);

        var asOf = await api.Bootstrap.GetAsync($"/customers/{id}?asOf={LedgerHttp.Query(beforeRegistration)}");
        var knownAt = await api.Bootstrap.GetAsync($"/customers/{id}?knownAt={LedgerHttp.Query(beforeRegistration)}");

        await ProblemAssert.IsProblemAsync(asOf, HttpStatusCode.NotFound, "customer-not-found");
        await ProblemAssert.IsProblemAsync(knownAt, HttpStatusCode.NotFound, "customer-not-found");
    }
}
