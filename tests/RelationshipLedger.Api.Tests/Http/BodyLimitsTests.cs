using System.Net;
using System.Net.Http.Headers;
using System.Text;
using RelationshipLedger.Api.Tests.Support;

namespace RelationshipLedger.Api.Tests.Http;

/// <summary>Command bodies are JSON of at most 64 KiB: anything else is a 413 or 415 problem and appends nothing.</summary>
public sealed class BodyLimitsTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    private const int Limit = 64 * 1024;

    [Fact]
    public async Task A_body_over_64_KiB_is_a_413_and_appends_nothing()
    {
        var id = LedgerHttp.NewCustomerId("too-large");
        await api.Bootstrap.RegisterAsync(id);
        var before = await api.MarkAsync(id);
        var body = LedgerHttp.Serialize(
            new
            {
                channel = "Visit",
                initiator = "Company",
                purpose = "Sales",
                notes = new string('n', Limit),
            }
        );

        var response = await api.Recorder.PostTextAsync($"/customers/{id}/contacts", body);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "too-large");
        await api.AssertNothingAppendedAsync(id, before);
    }

    [Fact]
    public async Task A_body_over_64_KiB_sent_without_a_content_length_is_a_413_and_appends_nothing()
    {
        var id = LedgerHttp.NewCustomerId("too-large-chunked");
        await api.Bootstrap.RegisterAsync(id);
        var before = await api.MarkAsync(id);
        var bytes = Encoding.UTF8.GetBytes(
            LedgerHttp.Serialize(
                new
                {
                    channel = "Visit",
                    initiator = "Company",
                    purpose = "Sales",
                    notes = new string('n', Limit),
                }
            )
        );
        using var content = new StreamContent(new UnknownLengthStream(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await api.Recorder.PostContentAsync($"/customers/{id}/contacts", content);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "too-large");
        await api.AssertNothingAppendedAsync(id, before);
    }

    [Fact]
    public async Task A_registration_over_64_KiB_is_a_413_and_starts_no_stream()
    {
        var id = LedgerHttp.NewCustomerId("too-large-register");
        var before = await api.MarkAsync(id);
        var body = LedgerHttp.Serialize(
            new
            {
                customerId = id,
                name = "Acme",
                kind = "Organization",
                segment = new string('s', Limit),
            }
        );

        var response = await api.Recorder.PostTextAsync("/customers", body);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "too-large");
        await api.AssertNothingAppendedAsync(id, before);
    }

    [Fact]
    public async Task A_body_just_under_the_limit_is_read()
    {
        var id = LedgerHttp.NewCustomerId("at-limit");
        await api.Bootstrap.RegisterAsync(id);
        var envelope = LedgerHttp.Serialize(
            new
            {
                channel = "Visit",
                initiator = "Company",
                purpose = "Sales",
                notes = "",
            }
        );
        // The notes field is at most 4000 characters, so the padding is whitespace that JSON ignores.
        var body = envelope + new string(' ', Limit - Encoding.UTF8.GetByteCount(envelope));
        Assert.Equal(Limit, Encoding.UTF8.GetByteCount(body));

        var response = await api.Recorder.PostTextAsync($"/customers/{id}/contacts", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task A_body_that_is_not_json_is_a_415_and_appends_nothing(string mediaType)
    {
        var id = LedgerHttp.NewCustomerId("media");
        await api.Bootstrap.RegisterAsync(id);
        var before = await api.MarkAsync(id);

        var response = await api.Recorder.PostTextAsync(
            $"/customers/{id}/surveys",
            """{"surveyId":"s-1","rating":5}""",
            mediaType
        );

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        await api.AssertNothingAppendedAsync(id, before);
    }

    [Fact]
    public async Task A_registration_sent_as_text_plain_is_a_415_and_starts_no_stream()
    {
        var id = LedgerHttp.NewCustomerId("media-register");
        var before = await api.MarkAsync(id);

        var response = await api.Recorder.PostTextAsync(
            "/customers",
            LedgerHttp.Serialize(
                new
                {
                    customerId = id,
                    name = "Acme",
                    kind = "Organization",
                }
            ),
            "text/plain"
        );

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        await api.AssertNothingAppendedAsync(id, before);
    }

    [Fact]
    public async Task A_body_without_a_content_type_is_a_415_and_appends_nothing()
    {
        var id = LedgerHttp.NewCustomerId("no-media");
        await api.Bootstrap.RegisterAsync(id);
        var before = await api.MarkAsync(id);
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"surveyId":"s-1","rating":5}"""));

        var response = await api.Recorder.PostContentAsync($"/customers/{id}/surveys", content);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        await api.AssertNothingAppendedAsync(id, before);
    }

    [Fact]
    public async Task A_json_media_type_with_a_suffix_and_a_charset_is_accepted()
    {
        var id = LedgerHttp.NewCustomerId("json-suffix");
        await api.Bootstrap.RegisterAsync(id);

        var response = await api.Recorder.PostTextAsync(
            $"/customers/{id}/surveys",
            """{"surveyId":"s-1","rating":5}""",
            "application/vnd.ledger+json"
        );

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await api.MarkAsync(id)).StreamEvents);
    }

    /// <summary>A readable stream that will not tell its length, so the client sends the body chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
