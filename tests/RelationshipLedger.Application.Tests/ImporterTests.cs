using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Import;
using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Application.Tests;

public sealed class ImporterTests : IAsyncLifetime
{
    private const string TwoCustomers = """
        {"customerId":"imp-a","type":"CustomerRegistered","occurredAt":"2019-03-01T09:00:00Z","data":{"name":"Alpha AG","kind":"Organization"}}
        {"customerId":"imp-a","type":"PurchaseRecorded","occurredAt":"2019-04-02T10:00:00Z","data":{"orderId":"A-1","amount":1200.50,"currency":"EUR"}}
        {"customerId":"imp-a","type":"TierChanged","occurredAt":"2020-01-15T10:00:00Z","data":{"from":"Transactional","to":"PreferredSupplier","reason":"volume","approvedBy":"sales director"}}
        {"customerId":"imp-b","type":"CustomerRegistered","occurredAt":"2021-06-01T09:00:00Z","data":{"name":"Beta","kind":"Individual"}}
        {"customerId":"imp-b","type":"SatisfactionSurveyed","occurredAt":"2021-07-01T09:00:00Z","data":{"surveyId":"S-1","rating":4,"recommend":9}}

        """;

    private Ledger _ledger = null!;
    private CustomerImporter _importer = null!;

    public async Task InitializeAsync()
    {
        _ledger = await Ledger.CreateAsync();
        _importer = new CustomerImporter(_ledger.Store, _ledger.Loader, TimeProvider.System);
    }

    public async Task DisposeAsync() => await _ledger.DisposeAsync();

    [Fact]
    public async Task An_import_appends_each_stream_in_order_keeping_business_time()
    {
        var report = await ImportAsync(TwoCustomers);

        Assert.Equal(new ImportReport(2, 5, 0, 0, []), report with { Errors = [] });
        Assert.Empty(report.Errors);
        var events = await _ledger.Store.ReadStreamAsync("imp-a").ToListAsync();
        Assert.Equal(["CustomerRegistered", "PurchaseRecorded", "TierChanged"], events.Select(e => e.Type));
        Assert.Equal(new DateTimeOffset(2019, 4, 2, 10, 0, 0, TimeSpan.Zero), events[1].OccurredAt);
        var state = (await _ledger.Loader.LoadCurrentAsync("imp-a")).State;
        Assert.Equal(RelationshipTier.PreferredSupplier, state.Tier);
        Assert.Equal(1200.50m, state.Orders["A-1"].Amount);
    }

    [Fact]
    public async Task Importing_the_same_file_again_appends_nothing_new()
    {
        await ImportAsync(TwoCustomers);

        var again = await ImportAsync(TwoCustomers);

        Assert.Equal((0, 5), (again.Appended, again.Skipped));
        Assert.Empty(again.Errors);
        Assert.Equal(3, (await _ledger.Store.GetStreamAsync("imp-a"))!.Version);
    }

    [Fact]
    public async Task A_bad_line_is_reported_by_number_and_the_rest_of_its_stream_is_not_appended()
    {
        const string file = """
            {"customerId":"bad-a","type":"CustomerRegistered","occurredAt":"2020-01-01T09:00:00Z","data":{"name":"A","kind":"Organization"}}
            {"customerId":"bad-a","type":"PurchaseRecorded","occurredAt":"2020-02-01T09:00:00Z","data":{"orderId":"1","amount":10,"currency":"EUR"}}
            {"customerId":"bad-a","type":"PurchaseRefunded","occurredAt":"2020-03-01T09:00:00Z","data":{"orderId":"1","amount":99,"reason":"x"}}
            {"customerId":"bad-a","type":"PurchaseRecorded","occurredAt":"2020-04-01T09:00:00Z","data":{"orderId":"2","amount":10,"currency":"EUR"}}
            {"customerId":"ok-b","type":"CustomerRegistered","occurredAt":"2020-01-01T09:00:00Z","data":{"name":"B","kind":"Individual"}}
            not json at all
            {"customerId":"ok-b","type":"TierChanged","occurredAt":"2020-05-01T09:00:00Z","data":{"from":"Partner","to":"StrategicAlliance","reason":"r","approvedBy":"ceo"}}
            """;

        var report = await ImportAsync(file);

        Assert.Equal([3, 6, 7], report.Errors.Select(e => e.Line));
        Assert.StartsWith("refund-exceeds-order", report.Errors[0].Problem, StringComparison.Ordinal);
        Assert.Contains("current tier is Transactional", report.Errors[2].Problem, StringComparison.Ordinal);
        Assert.Equal((3, 1), (report.Appended, report.NotAppended));
        Assert.Equal(2, (await _ledger.Store.GetStreamAsync("bad-a"))!.Version);
        Assert.Equal(1, (await _ledger.Store.GetStreamAsync("ok-b"))!.Version);
    }

    [Theory]
    [InlineData("2020-02-01T09:00:00")]
    [InlineData("2020-02-01")]
    [InlineData("1899-12-31T23:00:00Z")]
    public async Task An_occurred_at_without_an_offset_or_out_of_range_is_refused_not_read_in_local_time(string instant)
    {
        var file = $$$"""
            {"customerId":"tz-a","type":"CustomerRegistered","occurredAt":"2020-01-01T09:00:00Z","data":{"name":"A","kind":"Organization"}}
            {"customerId":"tz-a","type":"PurchaseRecorded","occurredAt":"{{{instant}}}","data":{"orderId":"1","amount":10,"currency":"EUR"}}
            """;

        var report = await ImportAsync(file);

        Assert.Equal(2, Assert.Single(report.Errors).Line);
        Assert.Contains("with an offset", report.Errors[0].Problem, StringComparison.Ordinal);
        Assert.Equal(1, (await _ledger.Store.GetStreamAsync("tz-a"))!.Version);
    }

    private Task<ImportReport> ImportAsync(string ndjson) =>
        _importer.ImportAsync(new StringReader(ndjson), new CommandContext("importer-test"));
}
