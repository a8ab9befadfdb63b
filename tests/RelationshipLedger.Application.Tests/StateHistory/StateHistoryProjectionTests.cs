using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.StateHistory;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.Testing;
using static RelationshipLedger.Domain.Customers.CustomerCommand;

namespace RelationshipLedger.Application.Tests.StateHistory;

/// <summary>
/// The state history of one scripted customer, with every period worked out by hand from the rules
/// (domain.md §2.3, window W = 180 days, windows are (t − W, t]):
/// registered 2024-01-01 owned by alice; purchases of 1000 on 02-01 and 03-01 (the second makes it
/// Growth: two purchases, first one under W old); PreferredSupplier from 04-01; handed to bob on 05-01;
/// then silence. On 2024-08-28 (03-01 + 180 days) recent revenue is 0 against 2000 before: Decline,
/// with no event at that instant.
/// </summary>
public sealed class StateHistoryProjectionTests : IAsyncLifetime
{
    private const string Customer = "scripted";
    private static readonly DateTimeOffset Issued = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private Ledger _ledger = null!;
    private RunningDaemon _daemon = null!;

    public async Task InitializeAsync()
    {
        _ledger = await Ledger.CreateAsync();
        _daemon = RunningDaemon.Start(_ledger.Store, LedgerServices.CreateAsyncProjections(_ledger.Store.Serializer));
        await RunAsync(
            At(2024, 1, 1),
            new RegisterCustomer("Scripted AG", CustomerKind.Organization, OwnerId: "alice") { IssuedAt = Issued }
        );
        await RunAsync(At(2024, 2, 1), new RecordPurchase("o-1", 1000m, "EUR") { IssuedAt = Issued });
        await RunAsync(At(2024, 3, 1), new RecordPurchase("o-2", 1000m, "EUR") { IssuedAt = Issued });
        await RunAsync(
            At(2024, 4, 1),
            new ChangeTier(RelationshipTier.PreferredSupplier, "two orders", "director") { IssuedAt = Issued }
        );
        await RunAsync(At(2024, 5, 1), new AssignOwner("bob", "territory change") { IssuedAt = Issued });
        await StatePeriodRows.CaughtUpAsync(_ledger.Database.DataSource);
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        await _ledger.DisposeAsync();
    }

    [Fact]
    public async Task Periods_change_with_tier_owner_and_stage_including_a_decline_by_silence_after_the_last_event()
    {
        Assert.Equal(
            [
                "[2024-01-01T09:00:00.000000, 2024-03-01T09:00:00.000000) Transactional Cultivation alice",
                "[2024-03-01T09:00:00.000000, 2024-04-01T09:00:00.000000) Transactional Growth alice",
                "[2024-04-01T09:00:00.000000, 2024-05-01T09:00:00.000000) PreferredSupplier Growth alice",
                "[2024-05-01T09:00:00.000000, 2024-08-28T09:00:00.000000) PreferredSupplier Growth bob",
                "[2024-08-28T09:00:00.000000, ∞) PreferredSupplier Decline bob",
            ],
            await StatePeriodRows.OfAsync(_ledger.Database.DataSource, Customer)
        );
    }

    [Fact]
    public async Task The_portfolio_answers_an_instant_after_the_last_event_with_the_stage_time_has_brought()
    {
        var queries = new PortfolioQueries(_ledger.Database.DataSource, _ledger.Loader);

        var page = await queries.GetPageAsync(new PortfolioQuery(At(2024, 12, 1), Stage: LifecycleStage.Decline));

        var entry = Assert.Single(page.Customers);
        Assert.Equal(
            (Customer, "bob", RelationshipTier.PreferredSupplier, At(2024, 8, 28), At(2024, 4, 1), At(2024, 5, 1)),
            (entry.CustomerId, entry.Owner, entry.Tier, entry.StageSince, entry.TierSince, entry.OwnerSince)
        );
        Assert.Empty(
            (await queries.GetPageAsync(new PortfolioQuery(At(2024, 8, 27), Stage: LifecycleStage.Decline))).Customers
        );
        Assert.Null(page.Next);
    }

    /// <summary>
    /// A purchase of 3000 back-dated to 2024-08-01: on 08-28 recent revenue is 3000 against 2000 before,
    /// so the customer stays in Growth until 2025-01-28 (08-01 + 180 days), when recent revenue is 0
    /// against 4000 (03-01 and 08-01) before: Decline from then on. The periods before 08-01 are unchanged.
    /// </summary>
    [Fact]
    public async Task A_back_dated_purchase_rewrites_the_history_from_its_instant_on()
    {
        await RunAsync(At(2024, 8, 1), new RecordPurchase("o-3", 3000m, "EUR") { IssuedAt = Issued });
        await StatePeriodRows.CaughtUpAsync(_ledger.Database.DataSource);

        Assert.Equal(
            [
                "[2024-01-01T09:00:00.000000, 2024-03-01T09:00:00.000000) Transactional Cultivation alice",
                "[2024-03-01T09:00:00.000000, 2024-04-01T09:00:00.000000) Transactional Growth alice",
                "[2024-04-01T09:00:00.000000, 2024-05-01T09:00:00.000000) PreferredSupplier Growth alice",
                "[2024-05-01T09:00:00.000000, 2025-01-28T09:00:00.000000) PreferredSupplier Growth bob",
                "[2025-01-28T09:00:00.000000, ∞) PreferredSupplier Decline bob",
            ],
            await StatePeriodRows.OfAsync(_ledger.Database.DataSource, Customer)
        );
    }

    /// <summary>
    /// The same back-dated purchase, recorded at K after the scripted history: as of 2024-12-01 the
    /// account is in Decline as known before K (since 08-28) and in Growth as known at K or later (until
    /// 2025-01-28); before its registration was recorded it is in no portfolio at all.
    /// </summary>
    [Fact]
    public async Task A_back_dated_purchase_changes_the_portfolio_only_as_known_from_its_recording_on()
    {
        var queries = new PortfolioQueries(_ledger.Database.DataSource, _ledger.Loader);
        var (firstRecorded, beforeCorrection) = await RecordedRangeAsync();
        await RunAsync(At(2024, 8, 1), new RecordPurchase("o-3", 3000m, "EUR") { IssuedAt = Issued });
        var (_, corrected) = await RecordedRangeAsync();
        await StatePeriodRows.CaughtUpAsync(_ledger.Database.DataSource);

        async Task<string> StageAsync(DateTimeOffset? knownAt)
        {
            var page = await queries.GetPageAsync(new PortfolioQuery(At(2024, 12, 1), KnownAt: knownAt));
            Assert.Equal(knownAt, page.KnownAt);
            return page.Customers.SingleOrDefault() is { } entry
                ? $"{entry.Stage} since {entry.StageSince:yyyy-MM-dd}"
                : "-";
        }

        Assert.Equal("Decline since 2024-08-28", await StageAsync(beforeCorrection));
        Assert.Equal("Decline since 2024-08-28", await StageAsync(corrected.AddTicks(-10)));
        Assert.Equal("Growth since 2024-03-01", await StageAsync(corrected));
        Assert.Equal("Growth since 2024-03-01", await StageAsync(null));
        Assert.Equal("-", await StageAsync(firstRecorded.AddTicks(-10)));
        var declined = new PortfolioQuery(At(2024, 12, 1), Stage: LifecycleStage.Decline, Owner: "bob");
        Assert.Single((await queries.GetPageAsync(declined with { KnownAt = beforeCorrection })).Customers);
        Assert.Empty((await queries.GetPageAsync(declined with { KnownAt = corrected })).Customers);
    }

    [Fact]
    public async Task The_owners_of_an_account_come_from_its_stream_with_from_to_and_reason()
    {
        var queries = new PortfolioQueries(_ledger.Database.DataSource, _ledger.Loader);

        var owners = await queries.GetOwnersAsync(Customer, TimeTravel.Now);
        var before = await queries.GetOwnersAsync(Customer, new TimeTravel(AsOf: At(2024, 4, 30)));

        Assert.Equal(
            [
                new OwnerTenure("alice", At(2024, 1, 1), At(2024, 5, 1), "registered", 1),
                new OwnerTenure("bob", At(2024, 5, 1), null, "territory change", 5),
            ],
            owners
        );
        Assert.Equal([new OwnerTenure("alice", At(2024, 1, 1), null, "registered", 1)], before);
        Assert.Null(await queries.GetOwnersAsync("nobody", TimeTravel.Now));
    }

    /// <summary>
    /// The daemon revises a customer's rows instead of replacing them: a purchase after the owner change
    /// moves the periods from then on, and the rows of the three periods before it stay the same row
    /// versions (<c>xmin</c>), while the rows still equal the periods of the whole stream.
    /// </summary>
    [Fact]
    public async Task A_later_purchase_leaves_the_rows_of_the_periods_before_it_as_they_were()
    {
        var before = await RowVersionsAsync();

        await RunAsync(At(2024, 6, 1), new RecordPurchase("o-3", 900m, "EUR") { IssuedAt = Issued });
        await StatePeriodRows.CaughtUpAsync(_ledger.Database.DataSource);

        var after = await RowVersionsAsync();
        foreach (var from in new[] { At(2024, 1, 1), At(2024, 3, 1), At(2024, 4, 1) })
            Assert.Equal(before[from.UtcDateTime], after[from.UtcDateTime]);
        Assert.Equal(
            await StatePeriodRows.ExpectedAsync(_ledger, Customer),
            await StatePeriodRows.OfAsync(_ledger.Database.DataSource, Customer)
        );
    }

    /// <summary>
    /// The batch is revised from its event's instant, and a period that ends exactly there is revised too:
    /// a purchase at the instant silence would have brought Decline keeps the account growing, so the
    /// period that ended there now runs on.
    /// </summary>
    [Fact]
    public async Task A_purchase_at_the_instant_a_period_ends_revises_that_period()
    {
        await RunAsync(At(2024, 8, 28), new RecordPurchase("o-3", 5000m, "EUR") { IssuedAt = Issued });
        await StatePeriodRows.CaughtUpAsync(_ledger.Database.DataSource);

        var rows = await StatePeriodRows.OfAsync(_ledger.Database.DataSource, Customer);
        Assert.Equal(await StatePeriodRows.ExpectedAsync(_ledger, Customer), rows);
        Assert.Contains("[2024-05-01T09:00:00.000000, 2025-02-24T09:00:00.000000) PreferredSupplier Growth bob", rows);
        Assert.DoesNotContain(rows, row => row.Contains("2024-08-28", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_name_reaches_every_period_and_a_back_dated_purchase_rewrites_what_it_changes()
    {
        await RunAsync(
            At(2024, 6, 1),
            new UpdateProfile(new ProfileChanges { Name = "Renamed AG" }) { IssuedAt = Issued }
        );
        await RunAsync(At(2024, 1, 15), new RecordPurchase("early", 5000m, "EUR") { IssuedAt = Issued });
        await StatePeriodRows.CaughtUpAsync(_ledger.Database.DataSource);

        Assert.Equal(
            await StatePeriodRows.ExpectedAsync(_ledger, Customer),
            await StatePeriodRows.OfAsync(_ledger.Database.DataSource, Customer)
        );
        Assert.Equal("Renamed AG", await StatePeriodRows.NamesAsync(_ledger.Database.DataSource, Customer));
    }

    /// <summary>Each period's start and the transaction that wrote its row.</summary>
    private async Task<Dictionary<DateTime, string>> RowVersionsAsync()
    {
        await using var command = _ledger.Database.DataSource.CreateCommand(
            "select lower(valid_during), xmin::text from ledger.state_periods where customer_id = $1"
        );
        command.Parameters.AddWithValue(Customer);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<DateTime, string>();
        while (await reader.ReadAsync())
            rows[reader.GetDateTime(0)] = reader.GetString(1);
        return rows;
    }

    /// <summary>When the first and the last event of the log were recorded.</summary>
    private async Task<(DateTimeOffset First, DateTimeOffset Last)> RecordedRangeAsync()
    {
        await using var command = _ledger.Database.DataSource.CreateCommand(
            "select min(recorded_at), max(recorded_at) from ledger.events"
        );
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (Utc(reader.GetDateTime(0)), Utc(reader.GetDateTime(1)));
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static DateTimeOffset At(int year, int month, int day) => new(year, month, day, 9, 0, 0, TimeSpan.Zero);

    private Task RunAsync(DateTimeOffset at, CustomerCommand command) =>
        _ledger.RecordAsync(Customer, at, Issued, command);
}
