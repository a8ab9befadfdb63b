using RelationshipLedger.Cli.Tests.Support;

namespace RelationshipLedger.Cli.Tests.Commands;

/// <summary>
/// The ledger the replay tests read: customer <see cref="CustomerId"/>, imported in two runs of the
/// command so that the first three events were known before the last two were recorded.
/// </summary>
public sealed class ReplayHistory : IAsyncLifetime
{
    public const string CustomerId = "replay-acme";

    /// <summary>The five lines, in order; each event occurred at a different business instant.</summary>
    public static readonly string[] Lines =
    [
        """{"customerId":"replay-acme","type":"CustomerRegistered","occurredAt":"2019-03-01T09:00:00Z","data":{"name":"Acme GmbH","kind":"Organization"}}""",
        """{"customerId":"replay-acme","type":"PurchaseRecorded","occurredAt":"2019-04-02T10:00:00Z","data":{"orderId":"SO-1","amount":12500,"currency":"EUR"}}""",
        """{"customerId":"replay-acme","type":"SatisfactionSurveyed","occurredAt":"2019-11-15T09:00:00Z","data":{"surveyId":"Q4","rating":4,"recommend":9}}""",
        """{"customerId":"replay-acme","type":"TierChanged","occurredAt":"2020-01-15T10:00:00Z","data":{"from":"Transactional","to":"PreferredSupplier","reason":"two large orders","approvedBy":"sales director"}}""",
        """{"customerId":"replay-acme","type":"ComplaintFiled","occurredAt":"2021-02-10T08:00:00Z","data":{"complaintId":"K-1","category":"Delivery","severity":"High","description":"Late twice."}}""",
    ];

    public static readonly string[] Types =
    [
        "CustomerRegistered",
        "PurchaseRecorded",
        "SatisfactionSurveyed",
        "TierChanged",
        "ComplaintFiled",
    ];

    public CliLedger Ledger { get; } = new();

    /// <summary>When the ledger recorded the third event: it knew the first three events then, and only those.</summary>
    public DateTimeOffset FirstImportRecordedAt { get; private set; }

    /// <summary>When the ledger recorded the fourth event, in the second run.</summary>
    public DateTimeOffset SecondImportRecordedAt { get; private set; }

    public async Task InitializeAsync()
    {
        await Ledger.InitializeAsync();
        using (var firstThree = NdjsonFile.Write(Lines[..3]))
            (await Ledger.RunAsync("import", firstThree.Path)).AssertExitCode(ExitCodes.Success);
        using (var all = NdjsonFile.Write(Lines))
            (await Ledger.RunAsync("import", all.Path)).AssertExitCode(ExitCodes.Success);
        var events = await Ledger.ReadStreamAsync(CustomerId);
        Assert.Equal(Types, events.Select(e => e.Type));
        FirstImportRecordedAt = events[2].RecordedAt;
        SecondImportRecordedAt = events[3].RecordedAt;
    }

    public Task DisposeAsync() => Ledger.DisposeAsync();
}
