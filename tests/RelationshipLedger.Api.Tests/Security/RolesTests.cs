using System.Net;
using System.Text.Json;
using RelationshipLedger.Api.Tests.Support;
using RelationshipLedger.Application.Security;

namespace RelationshipLedger.Api.Tests.Security;

/// <summary>
/// The roles of shared/design.md §5: a reader reads projected state, an auditor also reads raw
/// events, timelines and verification, a recorder records. A key without the route's role is a 403
/// problem, and a refused command appends nothing.
/// </summary>
public sealed class RolesTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    private static readonly string[] Reads = ["", "/tiers", "/stages", "/satisfaction"];
    private static readonly string[] Audits = ["/events", "/timeline", "/verify"];
    private const string Survey = """{"surveyId":"s-1","rating":5}""";

    [Fact]
    public async Task A_reader_reads_projected_state_but_neither_commands_nor_audits()
    {
        var id = await RegisteredAsync("reader");
        using var reader = await api.ClientWithRolesAsync("portal", Roles.Reader);
        var before = await api.MarkAsync(id);

        foreach (var route in Reads)
            Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/customers/{id}{route}")).StatusCode);
        foreach (var route in Audits)
            await ForbiddenAsync(await reader.GetAsync($"/customers/{id}{route}"));
        await ForbiddenAsync(await reader.PostTextAsync($"/customers/{id}/surveys", Survey));

        await api.AssertNothingAppendedAsync(id, before);
    }

    [Fact]
    public async Task An_auditor_reads_and_audits_but_does_not_command()
    {
        var id = await RegisteredAsync("auditor");
        using var auditor = await api.ClientWithRolesAsync("external-audit", Roles.Auditor);
        var before = await api.MarkAsync(id);

        foreach (var route in Reads.Concat(Audits))
            Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/customers/{id}{route}")).StatusCode);
        await ForbiddenAsync(await auditor.PostTextAsync($"/customers/{id}/surveys", Survey));

        await api.AssertNothingAppendedAsync(id, before);
    }

    [Fact]
    public async Task A_recorder_commands_but_reads_neither_events_nor_projected_state()
    {
        var id = await RegisteredAsync("recorder");

        var command = await api.Recorder.PostTextAsync($"/customers/{id}/surveys", Survey);

        Assert.Equal(HttpStatusCode.OK, command.StatusCode);
        foreach (var route in Audits.Concat(Reads))
            await ForbiddenAsync(await api.Recorder.GetAsync($"/customers/{id}{route}"));
    }

    [Fact]
    public async Task A_recorder_asking_for_the_raw_events_is_a_403_problem()
    {
        var id = await RegisteredAsync("recorder-events");

        var response = await api.Recorder.GetAsync($"/customers/{id}/events");

        await ForbiddenAsync(response);
    }

    [Fact]
    public async Task A_reader_command_is_a_403_and_appends_nothing_even_on_registration()
    {
        var id = LedgerHttp.NewCustomerId("reader-register");
        using var reader = await api.ClientWithRolesAsync("portal-register", Roles.Reader);
        var before = await api.MarkAsync(id);

        var response = await reader.PostJsonAsync(
            "/customers",
            new
            {
                customerId = id,
                name = "Acme",
                kind = "Organization",
            }
        );

        await ForbiddenAsync(response);
        await api.AssertNothingAppendedAsync(id, before);
    }

    private async Task<string> RegisteredAsync(string prefix)
    {
        var id = LedgerHttp.NewCustomerId(prefix);
        await api.Bootstrap.RegisterAsync(id);
        return id;
    }

    private static Task<JsonElement> ForbiddenAsync(HttpResponseMessage response) =>
        ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "forbidden");
}
