using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using RelationshipLedger.Api.Tests.Support;
using RelationshipLedger.Application.SatisfactionHistory;
using RelationshipLedger.Application.Security;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Api.Tests.Operations;

/// <summary>
/// GET /admin/projections, the dead letters and resume (role admin), and the daemon in GET /health.
/// The tests of this class share one API; only the last one poisons a projection.
/// </summary>
public sealed partial class ProjectionsApiTests(DaemonApiFixture api) : IClassFixture<DaemonApiFixture>
{
    private const string Satisfaction = SatisfactionHistoryProjection.ProjectionName;

    [Fact]
    public async Task Admin_sees_each_projection_with_its_position_lag_state_error_and_holder()
    {
        var id = LedgerHttp.NewCustomerId("listed");
        await api.Admin.RegisterAsync(id);
        await SurveyAsync(id, "s-1", "fine");

        var listed = await Eventually.ReturnsAsync(
            () => api.Admin.GetJsonAsync("/admin/projections"),
            answer =>
                Projection(answer, Satisfaction) is { } p
                && p.GetProperty("eventsApplied").GetInt64() >= 1
                && p.GetProperty("lagEvents").GetInt64() == 0,
            "the satisfaction history to apply the survey"
        );

        Assert.Equal("api-under-test", listed.GetProperty("node").GetString());
        var satisfaction = Projection(listed, Satisfaction)!.Value;
        Assert.Equal("Running", satisfaction.GetProperty("state").GetString());
        Assert.Matches(Cursor(), satisfaction.GetProperty("position").GetString());
        Assert.Equal(0, satisfaction.GetProperty("lagSeconds").GetDouble());
        Assert.Equal(JsonValueKind.Null, satisfaction.GetProperty("lastError").ValueKind);
        Assert.Equal("api-under-test", satisfaction.GetProperty("holder").GetString());
        Assert.Equal(JsonValueKind.Null, satisfaction.GetProperty("deadLetter").ValueKind);
        Assert.True(satisfaction.TryGetProperty("updatedAt", out _));
        Assert.NotNull(Projection(listed, DaemonApiFixture.PoisonedProjection));
    }

    [Fact]
    public async Task The_projection_routes_need_an_admin_key()
    {
        using var anonymous = api.Anonymous();
        await ProblemAssert.IsProblemAsync(
            await anonymous.GetAsync("/admin/projections"),
            HttpStatusCode.Unauthorized,
            "unauthenticated"
        );
        foreach (var role in new[] { Roles.Reader, Roles.Auditor, Roles.Recorder })
        {
            using var client = await api.ClientWithRolesAsync($"not-admin-{role}", role);
            await Forbidden(await client.GetAsync("/admin/projections"));
            await Forbidden(await client.GetAsync($"/admin/projections/{Satisfaction}/dead-letters"));
            await Forbidden(await client.PostAsync($"/admin/projections/{Satisfaction}/resume", content: null));
        }
    }

    [Fact]
    public async Task Resuming_what_is_not_paused_or_does_not_exist_is_a_problem()
    {
        await ProblemAssert.IsProblemAsync(
            await api.Admin.PostAsync("/admin/projections/no_such_projection/resume", content: null),
            HttpStatusCode.NotFound,
            "projection-not-found"
        );
        await ProblemAssert.HasFieldErrorAsync(
            await api.Admin.PostAsync("/admin/projections/Not-A-Name/resume", content: null),
            "name"
        );
        await Eventually.IsTrueAsync(
            async () => Projection(await api.Admin.GetJsonAsync("/admin/projections"), Satisfaction) is not null,
            "the satisfaction history to register"
        );
        await ProblemAssert.IsProblemAsync(
            await api.Admin.PostAsync($"/admin/projections/{Satisfaction}/resume", content: null),
            HttpStatusCode.Conflict,
            "projection-not-paused"
        );
    }

    [Fact]
    public async Task A_poison_event_pauses_its_projection_visibly_while_the_others_go_on_until_resumed_past_it()
    {
        var id = LedgerHttp.NewCustomerId("poison");
        await api.Admin.RegisterAsync(id);
        await SurveyAsync(id, "s-before", "fine");
        var poison = await SurveyAsync(id, "s-poison", DaemonApiFixture.PoisonPill);
        await SurveyAsync(id, "s-after", "fine again");

        var listed = await Eventually.ReturnsAsync(
            () => api.Admin.GetJsonAsync("/admin/projections"),
            answer =>
                Projection(answer, DaemonApiFixture.PoisonedProjection)?.GetProperty("state").GetString() == "Paused",
            "the poisoned projection to pause"
        );
        var paused = Projection(listed, DaemonApiFixture.PoisonedProjection)!.Value;
        Assert.Contains(
            "Cannot digest the pill.",
            paused.GetProperty("lastError").GetString(),
            StringComparison.Ordinal
        );
        var letter = paused.GetProperty("deadLetter");
        Assert.Equal(id, letter.GetProperty("streamId").GetString());
        Assert.Equal(poison.Version, letter.GetProperty("version").GetInt64());
        Assert.Equal("SatisfactionSurveyed", letter.GetProperty("type").GetString());
        Assert.Equal(3, letter.GetProperty("attempts").GetInt32());
        Assert.True(paused.GetProperty("lagEvents").GetInt64() >= 2);

        // The satisfaction history is not held up by another projection's dead letter.
        await Eventually.IsTrueAsync(
            async () =>
                Projection(await api.Admin.GetJsonAsync("/admin/projections"), Satisfaction)!
                    .Value.GetProperty("lagEvents")
                    .GetInt64() == 0,
            "the satisfaction history to catch up"
        );
        var points = (await api.Admin.GetJsonAsync($"/customers/{id}/satisfaction")).GetProperty("points");
        Assert.Equal(3, points.GetArrayLength());

        var health = await api.Anonymous().GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var report = await health.ReadJsonAsync();
        Assert.Equal("Degraded", report.GetProperty("status").GetString());
        var daemon = report.GetProperty("daemon");
        Assert.Equal("Running", daemon.GetProperty("status").GetString());
        var pausedHealth = daemon
            .GetProperty("projections")
            .EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == DaemonApiFixture.PoisonedProjection);
        Assert.Equal("Paused", pausedHealth.GetProperty("state").GetString());
        Assert.True(pausedHealth.GetProperty("runsHere").GetBoolean());
        Assert.False(pausedHealth.TryGetProperty("lastError", out _), "health shows no error texts");

        var resumed = await api.Admin.PostAsync(
            $"/admin/projections/{DaemonApiFixture.PoisonedProjection}/resume?skip=true",
            content: null
        );
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        Assert.Equal("Running", (await resumed.ReadJsonAsync()).GetProperty("state").GetString());
        await Eventually.IsTrueAsync(
            async () =>
                Projection(await api.Admin.GetJsonAsync("/admin/projections"), DaemonApiFixture.PoisonedProjection)!
                    .Value.GetProperty("lagEvents")
                    .GetInt64() == 0,
            "the resumed projection to go on past the pill"
        );
        var letters = await api.Admin.GetJsonAsync(
            $"/admin/projections/{DaemonApiFixture.PoisonedProjection}/dead-letters"
        );
        var skipped = Assert.Single(letters.EnumerateArray());
        Assert.Equal("skipped", skipped.GetProperty("resolution").GetString());
        Assert.Equal(poison.EventIds[0], skipped.GetProperty("eventId").GetGuid());
    }

    private Task<CommandAnswer> SurveyAsync(string id, string surveyId, string comment) =>
        api.Admin.CommandAsync(
            $"/customers/{id}/surveys",
            new
            {
                surveyId,
                rating = 4,
                comment,
            }
        );

    private static JsonElement? Projection(JsonElement answer, string name) =>
        answer
            .GetProperty("projections")
            .EnumerateArray()
            .Where(p => p.GetProperty("name").GetString() == name)
            .Select(p => (JsonElement?)p)
            .SingleOrDefault();

    private static Task<JsonElement> Forbidden(HttpResponseMessage response) =>
        ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "forbidden");

    [GeneratedRegex(@"^\d+-\d+$")]
    private static partial Regex Cursor();
}
