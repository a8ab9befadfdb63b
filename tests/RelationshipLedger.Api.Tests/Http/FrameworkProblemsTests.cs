using System.Net;
using RelationshipLedger.Api.Tests.Support;

namespace RelationshipLedger.Api.Tests.Http;

/// <summary>Problems the framework answers by itself (no such route, wrong method) are problems with a code too.</summary>
public sealed class FrameworkProblemsTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    [Fact]
    public async Task A_route_that_does_not_exist_is_a_404_problem_with_a_code()
    {
        var response = await api.Bootstrap.GetAsync("/no-such-route");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task A_method_a_route_does_not_have_is_a_405_problem_with_a_code_and_appends_nothing()
    {
        var id = LedgerHttp.NewCustomerId("delete");
        await api.Bootstrap.RegisterAsync(id);
        var before = await api.MarkAsync(id);

        var response = await api.Bootstrap.DeleteAsync($"/customers/{id}");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.MethodNotAllowed, "method-not-allowed");
        await api.AssertNothingAppendedAsync(id, before);
    }
}
