using System.Globalization;
using RelationshipLedger.Cli.Tests.Support;

namespace RelationshipLedger.Cli.Tests.Commands;

/// <summary>
/// <c>ledger corrections</c>: a survey and an owner change recorded late and back-dated before 31 Mar 2025 show
/// as corrections of what the ledger said about that day; bad input is a usage error.
/// </summary>
public sealed class CorrectionsCommandTests : IAsyncLifetime
{
    private const string Customer = "corrections-acme";
    private readonly CliLedger _ledger = new();
    private string _knownBefore = "";
    private string _knownBeforeColumn = "";

    public async Task InitializeAsync()
    {
        await _ledger.InitializeAsync();
        await ImportAsync(
            $$$"""{"customerId":"{{{Customer}}}","type":"CustomerRegistered","occurredAt":"2025-01-01T09:00:00Z","data":{"name":"Acme","kind":"Organization"}}""",
            $$$"""{"customerId":"{{{Customer}}}","type":"AccountOwnerAssigned","occurredAt":"2025-01-02T09:00:00Z","data":{"ownerId":"alice","reason":"territory"}}""",
            $$$"""{"customerId":"{{{Customer}}}","type":"SatisfactionSurveyed","occurredAt":"2025-02-01T09:00:00Z","data":{"surveyId":"s-1","rating":5,"recommend":10}}"""
        );
        var recorded = (await _ledger.ReadStreamAsync(Customer))[^1].RecordedAt;
        _knownBefore = recorded.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        _knownBeforeColumn =
            $"Known at {recorded.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}";
        await ImportAsync(
            $$$"""{"customerId":"{{{Customer}}}","type":"SatisfactionSurveyed","occurredAt":"2025-03-01T09:00:00Z","data":{"surveyId":"s-2","rating":1,"recommend":0}}""",
            $$$"""{"customerId":"{{{Customer}}}","type":"AccountOwnerAssigned","occurredAt":"2025-03-15T09:00:00Z","data":{"ownerId":"bob","reason":"handover"}}"""
        );
    }

    public Task DisposeAsync() => _ledger.DisposeAsync();

    [Fact]
    public async Task The_report_shows_each_corrected_field_before_and_after_with_its_event()
    {
        var result = await _ledger.RunAsync("corrections", Customer, "--as-of", "2025-03-31", "--from", _knownBefore);

        result.AssertExitCode(ExitCodes.Success);
        result.AssertOutputContains("2 event(s) recorded in between");
        var table = ConsoleTable.In(result.Output);
        var owner = table.Column("Field").ToList().IndexOf("owner");
        Assert.Equal("alice", table.Column(_knownBeforeColumn)[owner]);
        Assert.Contains("v5 AccountOwnerAssigned", table.Column("Caused by")[owner], StringComparison.Ordinal);
        var rating = table.Column("Field").ToList().IndexOf("satisfaction.latestRating");
        Assert.Contains("v4 SatisfactionSurveyed", table.Column("Caused by")[rating], StringComparison.Ordinal);
    }

    [Fact]
    public async Task About_an_instant_before_every_correction_nothing_changed()
    {
        var result = await _ledger.RunAsync("corrections", Customer, "--as-of", "2025-02-15", "--from", _knownBefore);

        result.AssertExitCode(ExitCodes.Success);
        result.AssertOutputContains("0 event(s) recorded in between");
        result.AssertOutputContains("Nothing the overview shows changed.");
    }

    [Theory]
    [InlineData("--as-of", "yesterday", "--as-of 'yesterday' is not an instant")]
    [InlineData("--to", "2020-01-01", "--to must be after --from")]
    public async Task Bad_instants_are_usage_errors(string option, string value, string message)
    {
        var arguments = new Dictionary<string, string> { ["--as-of"] = "2025-03-31", ["--from"] = _knownBefore };
        arguments[option] = value;

        var result = await _ledger.RunAsync([
            "corrections",
            Customer,
            .. arguments.SelectMany(a => new[] { a.Key, a.Value }),
        ]);

        result.AssertExitCode(ExitCodes.Usage);
        result.AssertErrorsContain(message);
    }

    [Fact]
    public async Task An_unknown_customer_is_not_found()
    {
        var result = await _ledger.RunAsync(
            "corrections",
            "nobody-here",
            "--as-of",
            "2025-03-31",
            "--from",
            _knownBefore
        );

        result.AssertExitCode(ExitCodes.NotFound);
    }

    private async Task ImportAsync(params string[] lines)
    {
        using var file = NdjsonFile.Write(lines);
        (await _ledger.RunAsync("import", file.Path)).AssertExitCode(ExitCodes.Success);
    }
}
