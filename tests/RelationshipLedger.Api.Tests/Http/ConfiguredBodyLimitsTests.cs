using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using RelationshipLedger.Api.Tests.Support;
using RelationshipLedger.Application.Security;

namespace RelationshipLedger.Api.Tests.Http;

/// <summary>The API with small body limits set the way an operator sets them: 1 KiB a command, 4 KiB an import.</summary>
public sealed class SmallBodyLimitsFixture : ConfiguredApiFixture
{
    public const int MaxCommandBytes = 1024;
    public const int MaxImportBytes = 4096;

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("RequestLimits:MaxCommandBytes", $"{MaxCommandBytes}");
        builder.UseSetting("RequestLimits:MaxImportBytes", $"{MaxImportBytes}");
    }
}

/// <summary>
/// <c>RequestLimits</c>: a command body over MaxCommandBytes and an import over MaxImportBytes are 413 problems
/// and append nothing; bodies at the limit are read.
/// </summary>
public sealed class ConfiguredBodyLimitsTests(SmallBodyLimitsFixture api) : IClassFixture<SmallBodyLimitsFixture>
{
    [Fact]
    public async Task A_command_one_byte_over_the_configured_limit_is_a_413_and_one_at_it_is_read()
    {
        using var recorder = await api.ClientWithRolesAsync("small-desk", Roles.Recorder);
        var id = LedgerHttp.NewCustomerId("small-limit");
        await recorder.RegisterAsync(id);
        var before = await CountEventsAsync();

        var over = await recorder.PostTextAsync(
            $"/customers/{id}/surveys",
            Padded(SmallBodyLimitsFixture.MaxCommandBytes + 1)
        );

        await ProblemAssert.IsProblemAsync(over, HttpStatusCode.RequestEntityTooLarge, "too-large");
        Assert.Equal(before, await CountEventsAsync());
        var atLimit = await recorder.PostTextAsync(
            $"/customers/{id}/surveys",
            Padded(SmallBodyLimitsFixture.MaxCommandBytes)
        );
        Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode);
        Assert.Equal(before + 1, await CountEventsAsync());
    }

    [Fact]
    public async Task An_import_over_the_configured_limit_is_a_413_and_appends_nothing()
    {
        using var recorder = await api.ClientWithRolesAsync("small-import", Roles.Recorder);
        var file = ImportFile(LedgerHttp.NewCustomerId("big-import"), SmallBodyLimitsFixture.MaxImportBytes + 1);
        var before = await CountEventsAsync();

        var response = await recorder.PostTextAsync("/customers/import", file, "application/x-ndjson");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "too-large");
        Assert.Equal(before, await CountEventsAsync());
    }

    [Fact]
    public async Task An_import_over_the_limit_without_a_content_length_is_a_413()
    {
        using var recorder = await api.ClientWithRolesAsync("small-import-chunked", Roles.Recorder);
        var file = ImportFile(LedgerHttp.NewCustomerId("chunked"), SmallBodyLimitsFixture.MaxImportBytes + 1);
        using var content = new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes(file)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");

        var response = await recorder.PostContentAsync("/customers/import", content);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "too-large");
    }

    [Fact]
    public async Task An_import_under_the_limit_is_read()
    {
        using var recorder = await api.ClientWithRolesAsync("small-import-ok", Roles.Recorder);
        var file = ImportFile(LedgerHttp.NewCustomerId("fits"), SmallBodyLimitsFixture.MaxImportBytes / 2);
        var before = await CountEventsAsync();

        var response = await recorder.PostTextAsync("/customers/import", file, "application/x-ndjson");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await CountEventsAsync() > before);
    }

    /// <summary>A survey of exactly <paramref name="bytes"/> bytes: whitespace, which JSON ignores, pads it.</summary>
    private static string Padded(int bytes)
    {
        const string survey = """{"surveyId":"s-1","rating":5}""";
        return survey + new string(' ', bytes - Encoding.UTF8.GetByteCount(survey));
    }

    /// <summary>A registration and then purchases of one customer, at least <paramref name="minBytes"/> bytes long.</summary>
    private static string ImportFile(string id, int minBytes)
    {
        var lines = new StringBuilder(
            $$$"""{"customerId":"{{{id}}}","type":"CustomerRegistered","occurredAt":"2020-01-01T09:00:00Z","data":{"name":"Big","kind":"Organization"}}"""
                + "\n"
        );
        for (var order = 1; Encoding.UTF8.GetByteCount(lines.ToString()) < minBytes; order++)
            lines.Append(
                $$$"""{"customerId":"{{{id}}}","type":"PurchaseRecorded","occurredAt":"2020-02-01T09:00:00Z","data":{"orderId":"o-{{{order}}}","amount":10,"currency":"EUR"}}"""
                    + "\n"
            );
        return lines.ToString();
    }

    private async Task<long> CountEventsAsync()
    {
        await using var command = api.Database.DataSource.CreateCommand("select count(*) from ledger.events");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
