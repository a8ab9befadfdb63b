using System.Net;
using System.Security.Cryptography;
using System.Text;
using RelationshipLedger.Api.Tests.Support;
using RelationshipLedger.EventStore.Digests;

namespace RelationshipLedger.Api.Tests.Audit;

/// <summary>
/// <c>POST /ledger/verify</c> (role auditor): the log verified against an exported, signed digest file sent as
/// the body — what the audit page does for an auditor with only a browser. The class has a database of its own;
/// its tests run one after another, and the tampering test puts the stored bytes back when it is done.
/// </summary>
public sealed class ExportedDigestApiTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    [Fact]
    public async Task An_untouched_log_extends_the_exported_digest_and_the_answer_names_its_signer()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await ScriptedHistory.RecordAsync(api.Bootstrap, "exported-intact");
        var file = await ExportDigestAsync(key);

        var answer = await PostAsync(file);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var body = await answer.ReadJsonAsync();
        var verification = body.GetProperty("verification");
        Assert.True(verification.GetProperty("valid").GetBoolean());
        Assert.Empty(verification.GetProperty("problems").EnumerateArray());
        Assert.Equal(
            SignedDigest.FromJson(file).Id,
            verification.GetProperty("comparedWith").GetProperty("id").GetInt64()
        );
        Assert.Equal(
            Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()),
            body.GetProperty("signerPublicKey").GetString()
        );
    }

    [Fact]
    public async Task A_stream_rewritten_after_the_digest_is_named_and_the_log_does_not_verify()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var history = await ScriptedHistory.RecordAsync(api.Bootstrap, "exported-tampered");
        var file = await ExportDigestAsync(key);
        await SetKindAsync(history.CustomerId, "Individual");
        try
        {
            var verification = (await (await PostAsync(file)).ReadJsonAsync()).GetProperty("verification");

            Assert.False(verification.GetProperty("valid").GetBoolean());
            Assert.Contains(
                verification.GetProperty("problems").EnumerateArray(),
                p => p.GetProperty("streamId").GetString() == history.CustomerId
            );
        }
        finally
        {
            await SetKindAsync(history.CustomerId, "Organization");
        }
    }

    [Fact]
    public async Task A_file_that_is_no_digest_is_a_400_and_one_changed_after_signing_a_422()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await ScriptedHistory.RecordAsync(api.Bootstrap, "exported-changed");
        var file = await ExportDigestAsync(key);
        var digest = SignedDigest.FromJson(file);
        var changed = (digest with { Events = digest.Events + 1 }).ToJson();

        await ProblemAssert.HasFieldErrorAsync(await PostAsync("not a digest"), "body");
        await ProblemAssert.IsProblemAsync(
            await PostAsync(changed),
            HttpStatusCode.UnprocessableEntity,
            "digest-untrusted"
        );
    }

    private async Task<string> ExportDigestAsync(ECDsa key)
    {
        await api.Database.WaitUntilLogReadableAsync();
        var digests = new LedgerDigests(api.Database.DataSource);
        var digest = await digests.TakeAsync();
        return SignedDigest.Sign(digest, await digests.HeadsAsync(digest.Id), key).ToJson();
    }

    /// <summary>Rewrites the registration's kind in place, as a tamperer would (jsonb is normalized: setting it back restores the bytes).</summary>
    private Task SetKindAsync(string customerId, string kind) =>
        api.Database.TamperAsync(
            $"update ledger.events set data = jsonb_set(data, '{{kind}}', '\"{kind}\"') "
                + $"where stream_id = '{customerId}' and version = 1"
        );

    private Task<HttpResponseMessage> PostAsync(string file) =>
        api.Bootstrap.PostAsync("/ledger/verify", new StringContent(file, Encoding.UTF8, "application/json"));
}
