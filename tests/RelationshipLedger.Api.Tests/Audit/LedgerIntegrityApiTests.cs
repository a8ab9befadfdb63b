using System.Net;
using System.Text.Json;
using RelationshipLedger.Api.Tests.Support;
using RelationshipLedger.Application.Security;

namespace RelationshipLedger.Api.Tests.Audit;

/// <summary>
/// <c>GET|POST /ledger/digests</c> and <c>GET /ledger/verify</c> (role auditor): digests of every stream head,
/// and the whole log verified and compared with the latest digest. The class has a database of its own; its
/// tests run one after another and each looks at the streams it recorded.
/// </summary>
public sealed class LedgerIntegrityApiTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    [Fact]
    public async Task Taking_a_digest_answers_201_with_its_heads_counted_and_lists_it_first()
    {
        await ScriptedHistory.RecordAsync(api.Bootstrap, "digested");
        await api.Database.WaitUntilLogReadableAsync();

        var response = await api.Bootstrap.PostAsync("/ledger/digests", null);
        var listed = await api.Bootstrap.GetJsonAsync("/ledger/digests");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var digest = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
        Assert.True(digest.GetProperty("streams").GetInt64() >= 1);
        Assert.True(digest.GetProperty("events").GetInt64() >= 13, "the scripted history has 13 events");
        Assert.Matches("^[0-9a-f]{64}$", digest.GetProperty("root").GetString());
        Assert.Matches("^[0-9]+-[0-9]+$", digest.GetProperty("position").GetString());
        Assert.Equal(digest.GetProperty("id").GetInt64(), listed[0].GetProperty("id").GetInt64());
        Assert.Equal($"/ledger/digests/{digest.GetProperty("id").GetInt64()}", response.Headers.Location?.ToString());
        var located = await api.Bootstrap.GetJsonAsync(response.Headers.Location!.ToString());
        Assert.Equal(digest.GetProperty("root").GetString(), located.GetProperty("root").GetString());
        await ProblemAssert.IsProblemAsync(
            await api.Bootstrap.GetAsync("/ledger/digests/999999"),
            HttpStatusCode.NotFound,
            "digest-not-found"
        );
    }

    [Fact]
    public async Task A_stream_cut_back_with_a_consistent_head_verifies_alone_but_is_named_against_the_latest_digest()
    {
        var rewritten = await ScriptedHistory.RecordAsync(api.Bootstrap, "cut-back");
        await ScriptedHistory.RecordAsync(api.Bootstrap, "honest");
        await api.Database.WaitUntilLogReadableAsync();
        await api.Bootstrap.PostAsync("/ledger/digests", null);
        Assert.True((await api.Bootstrap.GetJsonAsync("/ledger/verify")).GetProperty("valid").GetBoolean());

        await api.Database.TamperAsync(
            $"delete from ledger.events where stream_id = '{rewritten.CustomerId}' and version > 5; "
                + $"update ledger.streams s set version = 5, head_hash = e.hash from ledger.events e "
                + $"where s.id = '{rewritten.CustomerId}' and e.stream_id = s.id and e.version = 5"
        );
        var verification = await api.Bootstrap.GetJsonAsync("/ledger/verify");

        Assert.True((await api.Bootstrap.GetJsonAsync($"{rewritten.Path}/verify")).GetProperty("valid").GetBoolean());
        Assert.False(verification.GetProperty("valid").GetBoolean());
        var problem = Assert.Single(verification.GetProperty("problems").EnumerateArray());
        Assert.Equal(rewritten.CustomerId, problem.GetProperty("streamId").GetString());
        Assert.Equal("Truncated", problem.GetProperty("problem").GetString());
        Assert.True(verification.GetProperty("comparedWith").GetProperty("id").GetInt64() > 0);
    }

    [Theory]
    [InlineData("GET", Roles.Reader)]
    [InlineData("POST", Roles.Reader)]
    [InlineData("POST", Roles.Recorder)]
    public async Task Digests_are_for_auditors_only(string method, string role)
    {
        var client = await api.ClientWithRolesAsync($"not-an-auditor-{method}-{role}", role);

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/ledger/digests"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(
            HttpStatusCode.Unauthorized,
            (
                await api.Anonymous().SendAsync(new HttpRequestMessage(new HttpMethod(method), "/ledger/digests"))
            ).StatusCode
        );
    }
}
