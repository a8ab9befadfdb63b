using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RelationshipLedger.Api.Tests.Support;
using RelationshipLedger.Application.SatisfactionHistory;
using RelationshipLedger.Application.Security;
using RelationshipLedger.EventStore.Rebuilds;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Api.Tests.Operations;

/// <summary>POST /admin/projections/{name}/rebuild, its progress resource, and the live content hash.</summary>
public sealed class RebuildsApiTests(DaemonApiFixture api) : IClassFixture<DaemonApiFixture>
{
    private const string Satisfaction = SatisfactionHistoryProjection.ProjectionName;

    [Fact]
    public async Task A_rebuild_answers_202_with_the_location_of_its_progress_which_ends_completed_with_the_live_hash()
    {
        await SurveyedCustomerAsync("rebuilt");
        await WaitCaughtUpAsync();

        var response = await api.Admin.PostAsync($"/admin/projections/{Satisfaction}/rebuild", null);
        var body = await response.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = body.GetProperty("id").GetInt64();
        Assert.Equal($"/admin/rebuilds/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(Satisfaction, body.GetProperty("projection").GetString());

        var done = await Eventually.ReturnsAsync(
            () => api.Admin.GetJsonAsync($"/admin/rebuilds/{id}"),
            r => r.GetProperty("state").GetString() is "Completed" or "Failed",
            "the rebuild to finish"
        );
        Assert.Equal("Completed", done.GetProperty("state").GetString());
        Assert.True(done.GetProperty("eventsDone").GetInt64() >= 3);
        Assert.Equal(done.GetProperty("eventsDone").GetInt64(), done.GetProperty("eventsTotal").GetInt64());
        Assert.True(done.GetProperty("eventsPerSecond").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, done.GetProperty("error").ValueKind);
        Assert.True(done.GetProperty("matchesLive").GetBoolean());
        var shadow = done.GetProperty("contentHash");
        Assert.Matches("^[0-9a-f]{64}$", shadow.GetProperty("hash").GetString());
        Assert.Equal(
            shadow.GetProperty("hash").GetString(),
            done.GetProperty("liveHash").GetProperty("hash").GetString()
        );

        var live = await api.Admin.GetJsonAsync($"/admin/projections/{Satisfaction}/content-hash");
        Assert.Equal(shadow.GetProperty("hash").GetString(), live.GetProperty("hash").GetString());
        Assert.Equal(shadow.GetProperty("rows").GetInt64(), live.GetProperty("rows").GetInt64());
        var latest = await api.Admin.GetJsonAsync($"/admin/projections/{Satisfaction}/rebuilds/latest");
        Assert.Equal(id, latest.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task A_rebuild_of_a_projection_being_rebuilt_is_409_of_an_unknown_one_404_and_an_unknown_rebuild_404()
    {
        await SurveyedCustomerAsync("conflict");
        await WaitCaughtUpAsync();
        var dataSource = api.Factory.Services.GetRequiredService<NpgsqlDataSource>();
        await using (var holder = await dataSource.OpenConnectionAsync())
        {
            // Another process's rebuild: a session holding the projection's rebuild lock.
            await using var take = new NpgsqlCommand(
                "select pg_advisory_lock($1, lock_key) from ledger.projection_checkpoints where name = $2",
                holder
            );
            take.Parameters.Add(new() { Value = RebuildLocks.RebuildKey });
            take.Parameters.Add(new() { Value = Satisfaction });
            await take.ExecuteNonQueryAsync();
            await ProblemAssert.IsProblemAsync(
                await api.Admin.PostAsync($"/admin/projections/{Satisfaction}/rebuild", null),
                HttpStatusCode.Conflict,
                "rebuild-already-running"
            );
            await using var release = new NpgsqlCommand("select pg_advisory_unlock_all()", holder);
            await release.ExecuteNonQueryAsync();
        }
        await ProblemAssert.IsProblemAsync(
            await api.Admin.PostAsync("/admin/projections/no_such_projection/rebuild", null),
            HttpStatusCode.NotFound,
            "projection-not-found"
        );
        await ProblemAssert.HasFieldErrorAsync(
            await api.Admin.PostAsync("/admin/projections/Not-A-Name/rebuild", null),
            "name"
        );
        await ProblemAssert.IsProblemAsync(
            await api.Admin.GetAsync("/admin/rebuilds/987654321"),
            HttpStatusCode.NotFound,
            "rebuild-not-found"
        );
        using var reader = await api.ClientWithRolesAsync("rebuild-reader", Roles.Reader);
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await reader.PostAsync($"/admin/projections/{Satisfaction}/rebuild", null)).StatusCode
        );
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/admin/rebuilds/1")).StatusCode);
    }

    private async Task SurveyedCustomerAsync(string prefix)
    {
        var id = LedgerHttp.NewCustomerId(prefix);
        await api.Admin.RegisterAsync(id);
        for (var i = 0; i < 3; i++)
            await api.Admin.CommandAsync($"/customers/{id}/surveys", new { surveyId = $"s-{i}", rating = 3 + i % 2 });
    }

    private Task<JsonElement> WaitCaughtUpAsync() =>
        Eventually.ReturnsAsync(
            () => api.Admin.GetJsonAsync("/admin/projections"),
            answer =>
                answer
                    .GetProperty("projections")
                    .EnumerateArray()
                    .Any(p =>
                        p.GetProperty("name").GetString() == Satisfaction && p.GetProperty("lagEvents").GetInt64() == 0
                    ),
            "the satisfaction history to catch up"
        );
}
