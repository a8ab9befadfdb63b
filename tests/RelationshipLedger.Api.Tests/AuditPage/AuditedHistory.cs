using RelationshipLedger.Api.Tests.Support;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Api.Tests.AuditPage;

/// <summary>
/// The history the audit page is tested on, with business times relative to <see cref="Start"/>
/// (100 days ago). Version 9 is a correction recorded last and back-dated to day 45:
/// <code>
/// v1 day  0  CustomerRegistered     tier Transactional
/// v2 day  2  PurchaseRecorded       o-1
/// v3 day 10  SatisfactionSurveyed   rating 5
/// v4 day 20  TierChanged            → PreferredSupplier
/// v5 day 30  SatisfactionSurveyed   rating 2
/// v6 day 50  ComplaintFiled         c-1
/// v7 day 52  ComplaintResolved      c-1
/// v8 day 60  SatisfactionSurveyed   rating 4
///    ── <see cref="KnownBeforeCorrection"/>: what the ledger knew before the correction
/// v9 day 45  TierChanged            → Partner (back-dated: "signed on day 45, recorded late")
/// </code>
/// So the tier on day 25 is PreferredSupplier; on day 50 it is Partner as known now, but
/// PreferredSupplier as known before the correction.
/// </summary>
public sealed class AuditedHistory
{
    public const int Events = 9;
    public const string CorrectionReason = "Partnership signed on day 45, recorded late";

    private AuditedHistory(string customerId, DateTimeOffset start, DateTimeOffset knownBeforeCorrection)
    {
        CustomerId = customerId;
        Start = start;
        KnownBeforeCorrection = knownBeforeCorrection;
    }

    public string CustomerId { get; }

    public DateTimeOffset Start { get; }

    /// <summary>When version 8 was recorded: after it, before the correction.</summary>
    public DateTimeOffset KnownBeforeCorrection { get; }

    public DateTimeOffset Day(double days) => Start.AddDays(days);

    public static async Task<AuditedHistory> RecordAsync(HttpClient recorder, HttpClient auditor)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(auditor);
        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero).AddDays(-100);
        var customerId = LedgerHttp.NewCustomerId("audited");
        var path = $"/customers/{customerId}";
        DateTimeOffset Day(int days) => start.AddDays(days);

        await recorder.RegisterAsync(customerId, start, ownerId: "alice");
        await recorder.CommandAsync(
            $"{path}/purchases",
            new
            {
                orderId = "o-1",
                amount = 1000m,
                currency = "EUR",
                occurredAt = Day(2),
            }
        );
        await recorder.CommandAsync($"{path}/surveys", Survey("s-1", 5, Day(10)));
        await recorder.CommandAsync($"{path}/tier", Tier("PreferredSupplier", "Volume grew", Day(20)));
        await recorder.CommandAsync($"{path}/surveys", Survey("s-2", 2, Day(30)));
        await recorder.CommandAsync(
            $"{path}/complaints",
            new
            {
                complaintId = "c-1",
                category = "Delivery",
                severity = "Medium",
                description = "Pallet arrived late",
                occurredAt = Day(50),
            }
        );
        await recorder.CommandAsync(
            $"{path}/complaints/c-1/resolution",
            new
            {
                resolution = "Shipping refunded",
                customerAccepted = true,
                occurredAt = Day(52),
            }
        );
        await recorder.CommandAsync($"{path}/surveys", Survey("s-3", 4, Day(60)));
        // The page's instants have whole seconds: the next whole second after version 8 was recorded
        // is known-at "before the correction" once the correction is recorded after it.
        var eighthRecorded = (await auditor.EventsAsync(customerId))[^1].GetProperty("recordedAt").GetDateTimeOffset();
        var knownBeforeCorrection = new DateTimeOffset(
            eighthRecorded.UtcTicks - (eighthRecorded.UtcTicks % TimeSpan.TicksPerSecond) + TimeSpan.TicksPerSecond,
            TimeSpan.Zero
        );
        await Eventually.IsTrueAsync(
            () => Task.FromResult(DateTimeOffset.UtcNow > knownBeforeCorrection),
            "the clock to pass the known-at instant before the correction"
        );
        await recorder.CommandAsync($"{path}/tier", Tier("Partner", CorrectionReason, Day(45)));
        var correctionRecorded = (await auditor.EventsAsync(customerId))[^1]
            .GetProperty("recordedAt")
            .GetDateTimeOffset();
        Assert.True(
            correctionRecorded > knownBeforeCorrection,
            "The correction must be recorded after the known-at instant."
        );
        return new AuditedHistory(customerId, start, knownBeforeCorrection);
    }

    private static object Survey(string surveyId, int rating, DateTimeOffset occurredAt) =>
        new
        {
            surveyId,
            rating,
            occurredAt,
        };

    private static object Tier(string to, string reason, DateTimeOffset occurredAt) =>
        new
        {
            to,
            reason,
            approvedBy = "head-of-sales",
            occurredAt,
        };
}
