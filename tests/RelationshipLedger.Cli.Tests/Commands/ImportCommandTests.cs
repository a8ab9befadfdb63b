using RelationshipLedger.Cli.Tests.Support;

namespace RelationshipLedger.Cli.Tests.Commands;

/// <summary><c>ledger import FILE</c>: NDJSON history through the importer, reported line by line.</summary>
public sealed class ImportCommandTests(CliLedger ledger) : IClassFixture<CliLedger>
{
    [Fact]
    public async Task Import_appends_each_stream_in_order_keeping_business_time()
    {
        using var file = NdjsonFile.Write(
            """{"customerId":"imp-alpha","type":"CustomerRegistered","occurredAt":"2019-03-01T09:00:00Z","data":{"name":"Alpha AG","kind":"Organization"}}""",
            """{"customerId":"imp-alpha","type":"PurchaseRecorded","occurredAt":"2019-04-02T10:30:00+02:00","data":{"orderId":"A-1","amount":1200.50,"currency":"EUR"}}""",
            """{"customerId":"imp-alpha","type":"TierChanged","occurredAt":"2020-01-15T10:00:00Z","data":{"from":"Transactional","to":"PreferredSupplier","reason":"volume","approvedBy":"sales director"}}""",
            """{"customerId":"imp-beta","type":"CustomerRegistered","occurredAt":"2021-06-01T09:00:00Z","data":{"name":"Beta","kind":"Individual"}}""",
            """{"customerId":"imp-beta","type":"SatisfactionSurveyed","occurredAt":"2021-07-01T09:00:00Z","data":{"surveyId":"S-1","rating":4,"recommend":9}}"""
        );

        var result = await ledger.RunAsync("import", file.Path);

        result.AssertExitCode(ExitCodes.Success);
        result.AssertOutputContains("2 customer(s): 5 appended, 0 already there");
        var alpha = await ledger.ReadStreamAsync("imp-alpha");
        Assert.Equal(["CustomerRegistered", "PurchaseRecorded", "TierChanged"], alpha.Select(e => e.Type));
        Assert.Equal(
            [
                new DateTimeOffset(2019, 3, 1, 9, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2019, 4, 2, 8, 30, 0, TimeSpan.Zero),
                new DateTimeOffset(2020, 1, 15, 10, 0, 0, TimeSpan.Zero),
            ],
            alpha.Select(e => e.OccurredAt)
        );
        Assert.All(alpha, e => Assert.StartsWith("cli:", e.Actor, StringComparison.Ordinal));
        var beta = await ledger.ReadStreamAsync("imp-beta");
        Assert.Equal(["CustomerRegistered", "SatisfactionSurveyed"], beta.Select(e => e.Type));
        Assert.Equal(new DateTimeOffset(2021, 7, 1, 9, 0, 0, TimeSpan.Zero), beta[1].OccurredAt);
    }

    [Fact]
    public async Task Import_reports_the_line_number_of_a_bad_line_and_appends_the_other_streams()
    {
        using var file = NdjsonFile.Write(
            """{"customerId":"bad-a","type":"CustomerRegistered","occurredAt":"2020-01-01T09:00:00Z","data":{"name":"A","kind":"Organization"}}""",
            """{"customerId":"bad-a","type":"PurchaseRecorded","occurredAt":"2020-02-01T09:00:00Z","data":{"orderId":"1","amount":10,"currency":"EUR"}}""",
            """{"customerId":"bad-a","type":"PurchaseRefunded","occurredAt":"2020-03-01T09:00:00Z","data":{"orderId":"1","amount":99,"reason":"x"}}""",
            """{"customerId":"bad-a","type":"PurchaseRecorded","occurredAt":"2020-04-01T09:00:00Z","data":{"orderId":"2","amount":10,"currency":"EUR"}}""",
            """{"customerId":"ok-b","type":"CustomerRegistered","occurredAt":"2020-01-01T09:00:00Z","data":{"name":"B","kind":"Individual"}}""",
            "not json at all",
            """{"customerId":"ok-b","type":"SatisfactionSurveyed","occurredAt":"2021-07-01T09:00:00Z","data":{"surveyId":"S-1","rating":4,"recommend":9}}"""
        );

        var result = await ledger.RunAsync("import", file.Path);

        result.AssertExitCode(ExitCodes.CheckFailed);
        var errors = ConsoleTable.In(result.Output);
        Assert.Equal(["3", "6"], errors.Column("Line"));
        Assert.Equal(["bad-a", "-"], errors.Column("Customer"));
        Assert.StartsWith("refund-exceeds-order", errors.Column("Problem")[0], StringComparison.Ordinal);
        result.AssertOutputContains("1 not appended after a bad line, 2 error(s)");
        Assert.Equal([1L, 2L], (await ledger.ReadStreamAsync("bad-a")).Select(e => e.Version));
        Assert.Equal(
            ["CustomerRegistered", "SatisfactionSurveyed"],
            (await ledger.ReadStreamAsync("ok-b")).Select(e => e.Type)
        );
    }

    [Fact]
    public async Task Importing_the_same_file_again_appends_nothing()
    {
        using var file = NdjsonFile.Write(
            """{"customerId":"again-a","type":"CustomerRegistered","occurredAt":"2022-05-01T09:00:00Z","data":{"name":"Again","kind":"Organization"}}""",
            """{"customerId":"again-a","type":"ContactRecorded","occurredAt":"2022-05-03T14:00:00Z","data":{"contactId":"C-1","channel":"Phone","initiator":"Company","purpose":"FollowUp"}}""",
            """{"customerId":"again-a","type":"PurchaseRecorded","occurredAt":"2022-06-01T09:00:00Z","data":{"orderId":"G-1","amount":300,"currency":"CHF"}}"""
        );
        (await ledger.RunAsync("import", file.Path)).AssertExitCode(ExitCodes.Success);
        var before = await ledger.CountEventsAsync();

        var again = await ledger.RunAsync("import", file.Path);

        again.AssertExitCode(ExitCodes.Success);
        Assert.Equal(before, await ledger.CountEventsAsync());
        again.AssertOutputContains("0 appended, 3 already there");
        Assert.Equal(3, (await ledger.ReadStreamAsync("again-a")).Count);
    }

    [Fact]
    public async Task Import_of_a_missing_file_is_a_usage_error_that_appends_nothing()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-file-{Guid.NewGuid():N}.ndjson");
        var before = await ledger.CountEventsAsync();

        var result = await ledger.RunAsync("import", missing);

        result.AssertExitCode(ExitCodes.Usage);
        result.AssertErrorsContain($"There is no file '{missing}'");
        result.AssertNoStackTrace();
        Assert.Equal(before, await ledger.CountEventsAsync());
    }

    [Fact]
    public async Task Import_without_a_file_is_a_usage_error_that_points_to_the_help()
    {
        var result = await ledger.RunAsync("import");

        result.AssertExitCode(ExitCodes.Usage);
        result.AssertErrorsContain("Required argument missing");
        result.AssertErrorsContain("ledger import --help");
    }

    [Fact]
    public async Task Import_with_an_unknown_option_is_a_usage_error_that_appends_nothing()
    {
        using var file = NdjsonFile.Write(
            """{"customerId":"unknown-option","type":"CustomerRegistered","occurredAt":"2022-05-01T09:00:00Z","data":{"name":"U","kind":"Individual"}}"""
        );
        var before = await ledger.CountEventsAsync();

        var result = await ledger.RunAsync("import", file.Path, "--dry-run");

        result.AssertExitCode(ExitCodes.Usage);
        result.AssertErrorsContain("'--dry-run'");
        Assert.Equal(before, await ledger.CountEventsAsync());
    }

    [Fact]
    public async Task Import_with_a_malformed_connection_string_is_a_usage_error_naming_the_option()
    {
        using var file = NdjsonFile.Write(
            """{"customerId":"bad-connection","type":"CustomerRegistered","occurredAt":"2022-05-01T09:00:00Z","data":{"name":"C","kind":"Individual"}}"""
        );

        var result = await CliProcess.RunAsync(["import", file.Path, "--connection", "Host=localhost;Port=not-a-port"]);

        result.AssertExitCode(ExitCodes.Usage);
        result.AssertErrorsContain("The connection string in --connection is not valid");
        Assert.Empty(await ledger.ReadStreamAsync("bad-connection"));
    }
}
