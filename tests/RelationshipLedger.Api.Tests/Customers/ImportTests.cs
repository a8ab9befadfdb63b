using System.Net;
using System.Text.Json;
using RelationshipLedger.Api.Tests.Support;

namespace RelationshipLedger.Api.Tests.Customers;

/// <summary>POST /customers/import: NDJSON history from another CRM, through the real pipeline.</summary>
public sealed class ImportTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    [Fact]
    public async Task An_import_appends_each_stream_keeps_business_time_and_records_the_importing_key()
    {
        var id = LedgerHttp.NewCustomerId("import");
        var file = Lines(
            $$$"""{"customerId":"{{{id}}}","type":"CustomerRegistered","occurredAt":"2019-03-01T09:00:00Z","data":{"name":"Alpha AG","kind":"Organization"}}""",
            $$$"""{"customerId":"{{{id}}}","type":"PurchaseRecorded","occurredAt":"2019-04-02T10:00:00Z","data":{"orderId":"A-1","amount":1200.5,"currency":"EUR"}}"""
        );

        var report = await ImportAsync(file);

        Assert.Equal((1, 2, 0, 0), Counts(report));
        var events = await api.Bootstrap.EventsAsync(id);
        Assert.Equal(["CustomerRegistered", "PurchaseRecorded"], events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal("2019-04-02T10:00:00+00:00", events[1].GetProperty("occurredAt").GetString());
        Assert.Equal(LedgerApiFixture.RecorderName, events[1].GetProperty("metadata").GetProperty("actor").GetString());
    }

    [Fact]
    public async Task Importing_the_same_file_again_appends_nothing_and_a_bad_line_is_reported_by_number()
    {
        var id = LedgerHttp.NewCustomerId("reimport");
        var file = Lines(
            $$$"""{"customerId":"{{{id}}}","type":"CustomerRegistered","occurredAt":"2020-01-01T09:00:00Z","data":{"name":"B","kind":"Individual"}}""",
            $$$"""{"customerId":"{{{id}}}","type":"SatisfactionSurveyed","occurredAt":"2020-02-01T09:00:00Z","data":{"surveyId":"S-1","rating":9}}"""
        );

        var first = await ImportAsync(file);
        var again = await ImportAsync(file);

        Assert.Equal((1, 1, 0, 0), Counts(first));
        var error = Assert.Single(first.GetProperty("errors").EnumerateArray());
        Assert.Equal((2, id), (error.GetProperty("line").GetInt32(), error.GetProperty("customerId").GetString()));
        Assert.Contains("rating", error.GetProperty("problem").GetString(), StringComparison.Ordinal);
        Assert.Equal((1, 0, 1, 0), Counts(again));
        Assert.Single(await api.Bootstrap.EventsAsync(id));
    }

    [Fact]
    public async Task An_import_that_is_not_ndjson_is_415_and_a_reader_key_is_403()
    {
        var wrongType = await api.Recorder.PostTextAsync("/customers/import", "{}", "application/json");
        var reader = await api.ClientWithRolesAsync("import-reader", "reader");
        var forbidden = await reader.PostTextAsync("/customers/import", "", "application/x-ndjson");

        await ProblemAssert.IsProblemAsync(wrongType, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        await ProblemAssert.IsProblemAsync(forbidden, HttpStatusCode.Forbidden, "forbidden");
    }

    private async Task<JsonElement> ImportAsync(string ndjson)
    {
        var response = await api.Recorder.PostTextAsync("/customers/import", ndjson, "application/x-ndjson");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    private static (int Customers, int Appended, int Skipped, int NotAppended) Counts(JsonElement report) =>
        (
            report.GetProperty("customers").GetInt32(),
            report.GetProperty("appended").GetInt32(),
            report.GetProperty("skipped").GetInt32(),
            report.GetProperty("notAppended").GetInt32()
        );

    private static string Lines(params string[] lines) => string.Join('\n', lines) + "\n";
}
