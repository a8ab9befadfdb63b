using RelationshipLedger.Application.Customers;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Application.Tests;

/// <summary>
/// The correction report and bitemporal reads on a scripted history, expectations worked out by hand.
/// Known by K1: registered 1 Jan 2025, owner alice (2 Jan), survey s-1 rated 5, would recommend 10 (1 Feb).
/// Recorded in (K1, K2]: survey s-2 rated 1, recommend 0, back-dated to 1 Mar; owner bob from 15 Mar; a purchase
/// on 10 Apr (after T). Recorded after K2: survey s-3 rated 3 on 20 Mar. The question is about T = 31 Mar 2025.
/// </summary>
public sealed class CorrectionReportTests : IAsyncLifetime
{
    private const string Customer = "c-corrected";
    private static readonly DateTimeOffset T = new(2025, 3, 31, 23, 59, 59, TimeSpan.Zero);
    private Ledger _ledger = null!;
    private DateTimeOffset _k1;
    private DateTimeOffset _k2;
    private long _surveyS2;
    private long _ownerBob;

    public async Task InitializeAsync()
    {
        _ledger = await Ledger.CreateAsync();
        await AppendAsync(new CustomerEvent.CustomerRegistered("Corrected AG", CustomerKind.Organization), Day(1, 1));
        await AppendAsync(new CustomerEvent.AccountOwnerAssigned("alice", "territory"), Day(1, 2));
        _k1 = (
            await AppendAsync(new CustomerEvent.SatisfactionSurveyed("s-1", 5, Recommend: 10), Day(2, 1))
        ).RecordedAt;
        var s2 = await AppendAsync(new CustomerEvent.SatisfactionSurveyed("s-2", 1, Recommend: 0), Day(3, 1));
        var bob = await AppendAsync(new CustomerEvent.AccountOwnerAssigned("bob", "handover"), Day(3, 15));
        _k2 = (await AppendAsync(new CustomerEvent.PurchaseRecorded("o-1", 500m, "EUR"), Day(4, 10))).RecordedAt;
        await AppendAsync(new CustomerEvent.SatisfactionSurveyed("s-3", 3, Recommend: 7), Day(3, 20));
        (_surveyS2, _ownerBob) = (s2.Version, bob.Version);
    }

    public async Task DisposeAsync() => await _ledger.DisposeAsync();

    [Fact]
    public async Task The_report_lists_each_field_that_changed_about_T_between_K1_and_K2_with_its_causing_event()
    {
        var report = await Report().ReportAsync(Customer, T, _k1, _k2);

        var fields = report!.Fields.ToDictionary(f => f.Field);
        Assert.Equal(
            [
                "owner",
                "satisfaction.csat",
                "satisfaction.csatAllTime",
                "satisfaction.latestRating",
                "satisfaction.nps",
                "satisfaction.npsAllTime",
                "satisfaction.trend",
            ],
            fields.Keys.Order()
        );
        Assert.Equal(("alice", "bob"), (fields["owner"].Before, fields["owner"].After));
        Assert.Equal(
            ("5", "1"),
            (fields["satisfaction.latestRating"].Before, fields["satisfaction.latestRating"].After)
        );
        // CSAT: ratings of 4 or 5 among all: 1 of 1, then 1 of 2. NPS: promoters minus detractors: 1 − 0 of 1, then 1 − 1 of 2.
        Assert.Equal((100m, 50m), Numbers(fields["satisfaction.csat"]));
        Assert.Equal((100m, 0m), Numbers(fields["satisfaction.nps"]));
        // Trend: the last of the latest three ratings minus the first: one rating is stable, 5 then 1 worsens.
        Assert.Equal(
            ("Stable", "Worsening"),
            (fields["satisfaction.trend"].Before, fields["satisfaction.trend"].After)
        );
        Assert.Equal([_ownerBob], fields["owner"].CausedBy.Select(e => e.Version));
        foreach (var satisfaction in fields.Keys.Where(f => f.StartsWith("satisfaction.", StringComparison.Ordinal)))
            Assert.Equal([_surveyS2], fields[satisfaction].CausedBy.Select(e => e.Version));
        // The purchase happened after T, s-3 was recorded after K2: neither is a correction about T.
        Assert.Equal([_surveyS2, _ownerBob], report.Events.Select(e => e.Version));
    }

    [Fact]
    public async Task Nothing_differs_between_two_instants_with_nothing_recorded_between_them_about_T()
    {
        var report = await Report().ReportAsync(Customer, T, _k2, _k2.AddTicks(10));

        Assert.Empty(report!.Fields);
        Assert.Empty(report.Events);
    }

    [Fact]
    public async Task A_back_dated_correction_changes_the_answer_about_T_only_for_knowledge_from_its_recording_on()
    {
        var queries = new CustomerQueries(_ledger.Loader, LifecycleRules.Default, TimeProvider.System);

        var atK1 = await queries.GetOverviewAsync(Customer, new TimeTravel(AsOf: T, KnownAt: _k1));
        var atK2 = await queries.GetOverviewAsync(Customer, new TimeTravel(AsOf: T, KnownAt: _k2));
        var now = await queries.GetOverviewAsync(Customer, new TimeTravel(AsOf: T));

        Assert.Equal(("alice", 5), (atK1!.Owner, atK1.Satisfaction.LatestRating));
        Assert.Equal(("bob", 1), (atK2!.Owner, atK2.Satisfaction.LatestRating));
        // s-3 (rated 3, on 20 Mar) was recorded after K2: known now, it is the latest rating about T.
        Assert.Equal(3, now!.Satisfaction.LatestRating);
    }

    [Fact]
    public async Task An_unknown_customer_has_no_report()
    {
        Assert.Null(await Report().ReportAsync("c-nobody", T, _k1, _k2));
    }

    private CorrectionReport Report() => new(_ledger.Store, LifecycleRules.Default);

    private static (decimal, decimal) Numbers(CorrectedField field) =>
        (
            decimal.Parse(field.Before!, System.Globalization.CultureInfo.InvariantCulture),
            decimal.Parse(field.After!, System.Globalization.CultureInfo.InvariantCulture)
        );

    private static DateTimeOffset Day(int month, int day) => new(2025, month, day, 9, 0, 0, TimeSpan.Zero);

    private async Task<RecordedEvent> AppendAsync(CustomerEvent @event, DateTimeOffset occurredAt)
    {
        var stream = await _ledger.Store.GetStreamAsync(Customer);
        var result = await _ledger.Store.AppendAsync(
            Customer,
            stream is null ? ExpectedVersion.NoStream : ExpectedVersion.Exactly(stream.Version),
            [new EventToAppend(@event) { OccurredAt = occurredAt }],
            CustomerId.StreamType
        );
        return result.Events[0];
    }
}
