using System.Globalization;
using FsCheck.Fluent;
using RelationshipLedger.Application.Abc;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Overview;
using RelationshipLedger.Application.Seeding;
using RelationshipLedger.Application.StateHistory;
using RelationshipLedger.Application.Tests.Abc;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Application.Tests.StateHistory;

/// <summary>
/// The portfolio as of an instant, read from the state history the daemon kept while the customers
/// were written, equals the overview of every customer folded at that instant — seeded multi-year
/// histories and generated ones with back-dated events, ends, reactivations, tier changes and hand-overs.
/// </summary>
/// <summary>Thirty seeded and twelve generated customers, written once for the class while the daemon keeps the state history.</summary>
public sealed class SeededPortfolio : IAsyncLifetime
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public Ledger Ledger { get; private set; } = null!;

    public List<string> CustomerIds { get; } = [];

    /// <summary>When the last event was recorded before the late corrections (back-dated purchases) were.</summary>
    public DateTimeOffset BeforeCorrections { get; private set; }

    public async Task InitializeAsync()
    {
        Ledger = await Ledger.CreateAsync();
        await using var daemon = RunningDaemon.Start(
            Ledger.Store,
            LedgerServices.CreateAsyncProjections(Ledger.Store.Serializer),
            RunningDaemon.FastOptions("portfolio") with
            {
                BatchSize = 64,
            }
        );
        await new SeedHistories(Ledger.Handler, Ledger.Loader, LifecycleRules.Default).SeedAsync(
            new SeedOptions(30, Seed: 11, Now)
        );
        CustomerIds.AddRange(Enumerable.Range(0, 30).Select(SeedHistories.CustomerIdOf));
        var histories = HistoryGenerator.HistoryGen(80).Sample(12, 80).ToArray();
        for (var i = 0; i < histories.Length; i++)
        {
            var customerId = $"generated-{i:00}";
            await HistoryGenerator.RunAsync(Ledger, customerId, histories[i]);
            CustomerIds.Add(customerId);
        }
        await RecordScriptedCustomerAsync();
        BeforeCorrections = await LastRecordedAtAsync();
        await RecordLateCorrectionsAsync();
        await StatePeriodRows.CaughtUpAsync(Ledger.Database.DataSource);
        await RunningDaemon.CaughtUpAsync(Ledger.Database.DataSource, AbcRevenueProjection.ProjectionName);
    }

    public async Task DisposeAsync() => await Ledger.DisposeAsync();

    /// <summary>
    /// A large purchase back-dated into the history of every generated customer, recorded after
    /// everything else: what the ledger knows about those past instants changes after <see cref="BeforeCorrections"/>.
    /// (The seeded customers stay as seeded: a test compares them with their in-memory decisions.)
    /// </summary>
    /// <summary>
    /// One customer whose correction is worked out by hand (window W = 180 days): registered 2023-01-02,
    /// purchases on 02-01 and 03-01 (Growth), then silence: Decline from 08-28. The late correction, a
    /// purchase back-dated to 08-01, keeps it in Growth until 2024-01-28. So between 2023-08-28 and
    /// 2024-01-28 it is in Decline as known before the corrections and in Growth as known after.
    /// </summary>
    private async Task RecordScriptedCustomerAsync()
    {
        var at = HistoryGenerator.Start;
        await RunAsync(
            new CustomerCommand.RegisterCustomer("Scripted Ltd", CustomerKind.Organization) { IssuedAt = Now },
            at
        );
        await RunAsync(
            new CustomerCommand.RecordPurchase("s-1", 1000m, "EUR") { IssuedAt = Now },
            new(2023, 2, 1, 9, 0, 0, TimeSpan.Zero)
        );
        await RunAsync(
            new CustomerCommand.RecordPurchase("s-2", 1000m, "EUR") { IssuedAt = Now },
            new(2023, 3, 1, 9, 0, 0, TimeSpan.Zero)
        );
        CustomerIds.Add(ScriptedCustomer);
    }

    public const string ScriptedCustomer = "scripted-correction";

    private async Task RunAsync(CustomerCommand command, DateTimeOffset at)
    {
        var outcome = await Ledger.Handler.HandleAsync(
            ScriptedCustomer,
            command with
            {
                IssuedAt = Now,
                OccurredAt = at,
            },
            new CommandContext("auditor-test")
        );
        if (outcome.Rejection is { } rejection)
            throw new InvalidOperationException(rejection.Message);
    }

    private async Task RecordLateCorrectionsAsync()
    {
        await RunAsync(
            new CustomerCommand.RecordPurchase("s-late", 3000m, "EUR") { IssuedAt = Now },
            new(2023, 8, 1, 9, 0, 0, TimeSpan.Zero)
        );
        for (var index = 0; index < 12; index++)
        {
            var purchase = new CustomerCommand.RecordPurchase($"late-{index}", 25_000m, "EUR")
            {
                IssuedAt = Now,
                OccurredAt = HistoryGenerator.Start.AddDays(30 * (index + 1)),
            };
            // An ended relationship refuses it: the other customers still carry a correction.
            await Ledger.Handler.HandleAsync($"generated-{index:00}", purchase, new CommandContext("auditor-test"));
        }
    }

    private async Task<DateTimeOffset> LastRecordedAtAsync()
    {
        await using var command = Ledger.Database.DataSource.CreateCommand(
            "select max(recorded_at) from ledger.events"
        );
        return new DateTimeOffset(
            DateTime.SpecifyKind((DateTime)(await command.ExecuteScalarAsync())!, DateTimeKind.Utc)
        );
    }
}

public sealed class PortfolioAgreementTests(SeededPortfolio seeded) : IClassFixture<SeededPortfolio>
{
    private readonly CustomerQueries _customers = new(
        seeded.Ledger.Loader,
        LifecycleRules.Default,
        TimeProvider.System
    );
    private readonly PortfolioQueries _portfolio = new(seeded.Ledger.Database.DataSource, seeded.Ledger.Loader);

    // A walk of five periods leaves most of each page to the instant index: both halves of a page and their seam.
    // And an ABC class's members in one piece, as for a database that sorts ids other than ordinally.
    private readonly PortfolioQueries _shortWalk = new(seeded.Ledger.Database.DataSource, seeded.Ledger.Loader)
    {
        WalkPeriods = 5,
        OrdinalMembers = false,
    };
    private readonly List<string> _customerIds = seeded.CustomerIds;

    public static TheoryData<string> Instants =>
        [
            "2021-11-03T10:15:00Z",
            "2023-01-02T09:00:00Z",
            "2023-06-30T17:45:12.345678Z",
            "2024-02-29T08:00:00Z",
            "2025-03-01T00:00:00Z",
            "2025-09-14T13:30:00Z",
            "2026-02-27T12:00:00Z",
            "2026-03-01T00:00:00Z",
            "2026-11-20T06:00:00Z",
            "2028-07-01T00:00:00Z",
        ];

    [Theory]
    [MemberData(nameof(Instants))]
    public async Task The_portfolio_as_of_an_instant_equals_every_stream_folded_at_that_instant(string instant)
    {
        var asOf = DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture);
        var expected = await FoldedAsync(asOf);

        var pages = await AllPagesAsync(new PortfolioQuery(asOf, Limit: 7));

        Assert.Equal(expected.Select(Line), pages.Select(Line));
    }

    [Theory]
    [InlineData("2024-02-29T08:00:00Z")]
    [InlineData("2026-03-01T00:00:00Z")]
    public async Task Filters_by_tier_stage_and_owner_keep_exactly_the_folded_accounts_that_match(string instant)
    {
        var asOf = DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture);
        var expected = await FoldedAsync(asOf);
        Assert.NotEmpty(expected);

        foreach (var stage in Enum.GetValues<LifecycleStage>())
            Assert.Equal(
                expected.Where(o => o.LifecycleStage == stage).Select(Line),
                (await AllPagesAsync(new PortfolioQuery(asOf, Stage: stage, Limit: 5))).Select(Line)
            );
        foreach (var tier in Enum.GetValues<RelationshipTier>())
            Assert.Equal(
                expected.Where(o => o.Tier == tier).Select(Line),
                (await AllPagesAsync(new PortfolioQuery(asOf, Tier: tier, Limit: 5))).Select(Line)
            );
        foreach (var owner in expected.Select(o => o.Owner).OfType<string>().Distinct())
            Assert.Equal(
                expected.Where(o => o.Owner == owner).Select(Line),
                (await AllPagesAsync(new PortfolioQuery(asOf, Owner: owner, Limit: 3))).Select(Line)
            );
        // An account with an owner: a null owner in the query means "any owner", not "no owner".
        var combined = expected.First(o => o.Owner is not null);
        Assert.Equal(
            expected
                .Where(o =>
                    o.Tier == combined.Tier && o.LifecycleStage == combined.LifecycleStage && o.Owner == combined.Owner
                )
                .Select(Line),
            (
                await AllPagesAsync(
                    new PortfolioQuery(asOf, combined.Tier, combined.LifecycleStage, combined.Owner, Limit: 2)
                )
            ).Select(Line)
        );
    }

    /// <summary>
    /// As known at an instant K while the customers were being written (the recorded time of the event a
    /// fraction of the way through the log): the accounts registered later are absent, those written to
    /// since K are folded as they stood at K, and the rest come from the read model — together equal to
    /// every stream's overview as of the instant as known at K.
    /// </summary>
    [Theory]
    [InlineData("2023-06-30T17:45:12.345678Z", 0.2)]
    [InlineData("2025-03-01T00:00:00Z", 0.5)]
    [InlineData("2026-03-01T00:00:00Z", 0.5)]
    [InlineData("2026-03-01T00:00:00Z", 0.93)]
    [InlineData("2028-07-01T00:00:00Z", 0.75)]
    public async Task The_portfolio_as_known_at_an_earlier_instant_equals_every_stream_folded_as_known_then(
        string instant,
        double fractionOfTheLog
    )
    {
        var asOf = DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture);
        var knownAt = await RecordedAtAsync(fractionOfTheLog);
        var expected = await FoldedAsync(asOf, knownAt);
        Assert.NotEmpty(expected);
        Assert.NotEqual((await FoldedAsync(asOf)).Select(Line), expected.Select(Line));

        Assert.Equal(
            expected.Select(Line),
            (await AllPagesAsync(new PortfolioQuery(asOf, Limit: 4, KnownAt: knownAt))).Select(Line)
        );
        foreach (var stage in Enum.GetValues<LifecycleStage>())
            Assert.Equal(
                expected.Where(o => o.LifecycleStage == stage).Select(Line),
                (await AllPagesAsync(new PortfolioQuery(asOf, Stage: stage, Limit: 3, KnownAt: knownAt))).Select(Line)
            );
        foreach (var owner in expected.Select(o => o.Owner).OfType<string>().Distinct())
            Assert.Equal(
                expected.Where(o => o.Owner == owner).Select(Line),
                (await AllPagesAsync(new PortfolioQuery(asOf, Owner: owner, Limit: 2, KnownAt: knownAt))).Select(Line)
            );
    }

    [Theory]
    [InlineData("2023-09-15T00:00:00Z")]
    [InlineData("2023-12-01T00:00:00Z")]
    [InlineData("2024-01-15T00:00:00Z")]
    public async Task Corrections_recorded_after_an_instant_leave_the_portfolio_as_known_then_unchanged(string instant)
    {
        var asOf = DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture);
        var knownBefore = await FoldedAsync(asOf, seeded.BeforeCorrections);
        var knownNow = await FoldedAsync(asOf);

        Assert.Equal(
            knownBefore.Select(Line),
            (await AllPagesAsync(new PortfolioQuery(asOf, Limit: 5, KnownAt: seeded.BeforeCorrections))).Select(Line)
        );
        Assert.Equal(knownNow.Select(Line), (await AllPagesAsync(new PortfolioQuery(asOf, Limit: 5))).Select(Line));
        Assert.Equal(
            ("Decline", "Growth"),
            (Stage(knownBefore, SeededPortfolio.ScriptedCustomer), Stage(knownNow, SeededPortfolio.ScriptedCustomer))
        );
    }

    /// <summary>
    /// The ABC filter (classified in memory) against domain.md §2.5 worked out in C# from every stream folded
    /// as known at K (<see cref="AbcByHand"/>): each class's pages hold exactly the folded accounts ranked
    /// into it, as known now and as known part of the way through the log.
    /// </summary>
    [Theory]
    [InlineData("2024-02-29T08:00:00Z", null)]
    [InlineData("2026-03-01T00:00:00Z", null)]
    [InlineData("2025-03-01T00:00:00Z", 0.5)]
    [InlineData("2024-01-15T00:00:00Z", 0.93)]
    public async Task The_abc_filter_keeps_exactly_the_folded_accounts_ranked_into_each_class(
        string instant,
        double? fractionOfTheLog
    )
    {
        var asOf = DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture);
        DateTimeOffset? knownAt = fractionOfTheLog is { } fraction ? await RecordedAtAsync(fraction) : null;
        var states = new Dictionary<string, CustomerState>();
        foreach (var customerId in _customerIds)
            if (
                (await seeded.Ledger.Loader.LoadAsync(customerId, new TimeTravel(KnownAt: knownAt))).State is
                { IsRegistered: true } state
            )
                states[customerId] = state;
        var classOf = AbcByHand.ClassesAt(states, asOf).Select(l => l.Split('|')).ToDictionary(l => l[0], l => l[4]);
        var expected = await FoldedAsync(asOf, knownAt);

        foreach (var abc in Enum.GetValues<AbcClass>())
            Assert.Equal(
                expected.Where(o => classOf[o.CustomerId] == abc.ToString()).Select(Line),
                (await AllPagesAsync(new PortfolioQuery(asOf, Limit: 3, Abc: abc, KnownAt: knownAt))).Select(Line)
            );
        Assert.True(expected.Select(o => classOf[o.CustomerId]).Distinct().Count() >= 2);
    }

    [Fact]
    public async Task The_portfolio_as_known_after_the_last_event_is_the_portfolio_as_known_now()
    {
        var asOf = DateTimeOffset.Parse("2025-09-14T13:30:00Z", CultureInfo.InvariantCulture);
        var knownAt = await RecordedAtAsync(1.0);

        Assert.Equal(
            (await AllPagesAsync(new PortfolioQuery(asOf, Limit: 7))).Select(Line),
            (await AllPagesAsync(new PortfolioQuery(asOf, Limit: 7, KnownAt: knownAt))).Select(Line)
        );
        Assert.Empty(
            (await AllPagesAsync(new PortfolioQuery(asOf, KnownAt: (await RecordedAtAsync(0)).AddTicks(-10))))
        );
    }

    [Fact]
    public async Task Periods_cut_from_the_seeded_histories_decided_in_memory_equal_the_rows_the_daemon_wrote()
    {
        // ledger bench portfolio --seeding rows writes these in-memory periods with COPY instead of the log.
        var options = new SeedOptions(30, Seed: 11, SeededPortfolio.Now);
        for (var index = 0; index < options.Customers; index++)
        {
            var periods = StatePeriods.Of(SeededStreams.Decide(index, options).State, LifecycleRules.Default);
            Assert.NotEmpty(periods);
            Assert.Equal(
                await StatePeriodRows.OfAsync(seeded.Ledger.Database.DataSource, SeedHistories.CustomerIdOf(index)),
                periods.Select(p =>
                    StatePeriodRows.Line(
                        p.From.UtcDateTime,
                        p.To?.UtcDateTime,
                        p.Tier.ToString(),
                        p.Stage.ToString(),
                        p.OwnerId
                    )
                )
            );
        }
    }

    /// <summary>
    /// Every customer's overview at <paramref name="asOf"/> as known at <paramref name="knownAt"/> (null:
    /// now), for those that existed then, in id order.
    /// </summary>
    private async Task<List<CustomerOverview>> FoldedAsync(DateTimeOffset asOf, DateTimeOffset? knownAt = null)
    {
        var overviews = new List<CustomerOverview>();
        var travel = new TimeTravel(AsOf: asOf, KnownAt: knownAt);
        foreach (var customerId in _customerIds.Order(StringComparer.Ordinal))
            if (await _customers.GetOverviewAsync(customerId, travel) is { } overview)
                overviews.Add(overview);
        return overviews;
    }

    private static string Stage(List<CustomerOverview> overviews, string customerId) =>
        overviews.Single(o => o.CustomerId == customerId).LifecycleStage.ToString();

    /// <summary>When the event <paramref name="fraction"/> of the way through the log (0: the first, 1: the last) was recorded.</summary>
    private async Task<DateTimeOffset> RecordedAtAsync(double fraction)
    {
        await using var command = seeded.Ledger.Database.DataSource.CreateCommand(
            "select recorded_at from ledger.events order by seq_id "
                + "offset (select floor((count(*) - 1) * $1)::bigint from ledger.events) limit 1"
        );
        command.Parameters.AddWithValue(fraction);
        return new DateTimeOffset(
            DateTime.SpecifyKind((DateTime)(await command.ExecuteScalarAsync())!, DateTimeKind.Utc)
        );
    }

    /// <summary>
    /// Every page of the question, read with the usual walk and with a short one (and with an ABC class's
    /// members in chunks and in one piece), which must agree.
    /// </summary>
    private async Task<List<PortfolioEntry>> AllPagesAsync(PortfolioQuery query)
    {
        var walked = await AllPagesAsync(_portfolio, query);
        Assert.Equal(walked, await AllPagesAsync(_shortWalk, query));
        return walked;
    }

    private static async Task<List<PortfolioEntry>> AllPagesAsync(PortfolioQueries portfolio, PortfolioQuery query)
    {
        var entries = new List<PortfolioEntry>();
        for (var page = await portfolio.GetPageAsync(query); ; )
        {
            entries.AddRange(page.Customers);
            if (page.Next is null)
                return entries;
            Assert.True(PortfolioCursor.TryDecode(page.Next, out var pagesAsOf, out var pagesKnownAt, out var after));
            Assert.Equal((query.AsOf, query.KnownAt), (pagesAsOf, pagesKnownAt));
            page = await portfolio.GetPageAsync(query with { After = after });
        }
    }

    private static string Line(CustomerOverview o) =>
        Line(o.CustomerId, o.Tier, o.TierSince, o.LifecycleStage, o.StageSince, o.Owner);

    private static string Line(PortfolioEntry e) =>
        Line(e.CustomerId, e.Tier, e.TierSince, e.Stage, e.StageSince, e.Owner);

    private static string Line(
        string customerId,
        RelationshipTier tier,
        DateTimeOffset tierSince,
        LifecycleStage stage,
        DateTimeOffset stageSince,
        string? owner
    ) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{customerId} {tier} since {tierSince.UtcDateTime:O} {stage} since {stageSince.UtcDateTime:O} owner {owner ?? "-"}"
        );
}
