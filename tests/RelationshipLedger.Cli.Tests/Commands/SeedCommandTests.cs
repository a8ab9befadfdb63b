using RelationshipLedger.Application.Seeding;
using RelationshipLedger.Cli.Tests.Support;

namespace RelationshipLedger.Cli.Tests.Commands;

/// <summary><c>ledger seed --customers N [--seed S] [--now T]</c>: multi-year histories through the command handler.</summary>
public sealed class SeedCommandTests(SeededLedger seeded) : IClassFixture<SeededLedger>
{
    private static readonly string[] CustomerIds =
    [
        .. Enumerable.Range(0, SeededLedger.Customers).Select(SeedHistories.CustomerIdOf),
    ];

    private CliLedger Ledger => seeded.Ledger;

    [Fact]
    public async Task Seed_writes_one_stream_per_customer()
    {
        seeded.Seeding.AssertExitCode(ExitCodes.Success);

        Assert.Equal(CustomerIds, await StreamIdsAsync());
        Assert.Equal(["seed-000001", "seed-000010"], [CustomerIds[0], CustomerIds[^1]]);
    }

    [Fact]
    public async Task Seed_reports_the_patterns_and_as_many_events_as_it_appended()
    {
        var result = seeded.Seeding.AssertExitCode(ExitCodes.Success);

        result.AssertOutputContains(
            $"Seeded {SeededLedger.Customers} customer(s) with {await Ledger.CountEventsAsync():N0} events"
        );
        var patterns = ConsoleTable.In(result.Output);
        var expected = Enum.GetValues<SeedPattern>()
            .Select(p => $"{p}: {Enumerable.Range(0, SeededLedger.Customers).Count(i => SeedMix.PatternOf(i) == p)}");
        Assert.Equal(
            expected.Order(StringComparer.Ordinal),
            patterns
                .Column("Pattern")
                .Zip(patterns.Column("Customers"), (p, c) => $"{p}: {c}")
                .Order(StringComparer.Ordinal)
        );
    }

    [Fact]
    public void Seed_reports_the_instant_it_seeded_up_to_in_UTC()
    {
        seeded
            .Seeding.AssertExitCode(ExitCodes.Success)
            .AssertOutputContains($"up to {SeededLedger.NowUtc:yyyy-MM-dd HH:mm}Z");
    }

    [Fact]
    public async Task Every_seeded_chain_verifies()
    {
        var result = await Ledger.RunAsync("verify");

        result.AssertExitCode(ExitCodes.Success);
        result.AssertOutputContains($"in {SeededLedger.Customers} streams verified");
    }

    [Fact]
    public async Task Every_seeded_history_opens_with_a_registration_and_a_profile_and_ends_by_now()
    {
        foreach (var customerId in CustomerIds)
        {
            var events = await Ledger.ReadStreamAsync(customerId);
            Assert.Equal(["CustomerRegistered", "CustomerProfileUpdated"], events.Take(2).Select(e => e.Type));
            Assert.All(events, e => Assert.True(e.OccurredAt <= SeededLedger.NowUtc, $"{e} is after the seed's now."));
            Assert.All(events, e => Assert.Contains(e.Actor, new[] { SeedHistories.Actor, "churn-watch" }));
        }
    }

    [Theory]
    [InlineData(SeedPattern.TrialBuyer, "ContactRecorded")]
    [InlineData(SeedPattern.GrowingAccount, "PurchaseRecorded", "PurchaseRefunded", "SatisfactionSurveyed")]
    [InlineData(SeedPattern.MaturePartner, "PurchaseRecorded", "TierChanged", "ComplaintResolved", "CareTierAssigned")]
    [InlineData(SeedPattern.DecliningAccount, "PurchaseRecorded", "ComplaintFiled", "SatisfactionSurveyed")]
    [InlineData(SeedPattern.EndedRelationship, "PurchaseRecorded", "ComplaintFiled", "RelationshipEnded")]
    public async Task Each_pattern_writes_its_kinds_of_event(SeedPattern pattern, params string[] types)
    {
        foreach (var customerId in CustomerIdsOf(pattern))
        {
            var written = (await Ledger.ReadStreamAsync(customerId)).Select(e => e.Type).ToHashSet();
            Assert.True(
                written.IsSupersetOf(types),
                $"{customerId} ({pattern}) has {string.Join(", ", written)}, not all of {string.Join(", ", types)}."
            );
        }
    }

    [Fact]
    public async Task Mature_partners_have_years_of_monthly_purchases()
    {
        foreach (var customerId in CustomerIdsOf(SeedPattern.MaturePartner))
        {
            var events = await Ledger.ReadStreamAsync(customerId);
            var span = events.Max(e => e.OccurredAt) - events.Min(e => e.OccurredAt);
            Assert.True(span > TimeSpan.FromDays(2 * 365), $"{customerId} spans only {span.TotalDays:0} days.");
            Assert.True(events.Count(e => e.Type == "PurchaseRecorded") >= 24, $"{customerId} has too few purchases.");
        }
    }

    [Fact]
    public async Task Trial_buyers_buy_at_most_once()
    {
        foreach (var customerId in CustomerIdsOf(SeedPattern.TrialBuyer))
            Assert.True((await Ledger.ReadStreamAsync(customerId)).Count(e => e.Type == "PurchaseRecorded") <= 1);
    }

    [Fact]
    public async Task Seeding_again_with_the_same_options_leaves_the_customers_alone()
    {
        var before = await Ledger.CountEventsAsync();

        var again = await Ledger.RunAsync(
            "seed",
            "--customers",
            $"{SeededLedger.Customers}",
            "--seed",
            "7",
            "--now",
            SeededLedger.Now
        );

        again.AssertExitCode(ExitCodes.Success);
        Assert.Equal(before, await Ledger.CountEventsAsync());
        again.AssertOutputContains($"{SeededLedger.Customers} already present");
    }

    [Theory]
    [InlineData("--customers", "0")]
    [InlineData("--customers", "many")]
    [InlineData("--seed", "3")]
    public async Task Seed_without_a_positive_number_of_customers_is_a_usage_error(string option, string value)
    {
        var before = await Ledger.CountEventsAsync();

        var result = await Ledger.RunAsync("seed", option, value);

        result.AssertExitCode(ExitCodes.Usage);
        result.AssertErrorsContain("--customers");
        Assert.Equal(before, await Ledger.CountEventsAsync());
    }

    [Fact]
    public async Task Seed_up_to_an_instant_in_the_future_is_a_usage_error()
    {
        var result = await Ledger.RunAsync("seed", "--customers", "1", "--now", "2999-01-01");

        result.AssertExitCode(ExitCodes.Usage);
        result.AssertErrorsContain("--now cannot be in the future");
    }

    [Fact]
    public async Task Seed_up_to_an_instant_whose_histories_would_reach_before_1900_is_a_usage_error()
    {
        var before = await Ledger.CountEventsAsync();

        var result = await Ledger.RunAsync("seed", "--customers", "1", "--now", "1902-06-01");

        result.AssertExitCode(ExitCodes.Usage);
        result.AssertErrorsContain("--now must be");
        Assert.Equal(before, await Ledger.CountEventsAsync());
    }

    private static List<string> CustomerIdsOf(SeedPattern pattern)
    {
        var customers = CustomerIds.Where((_, index) => SeedMix.PatternOf(index) == pattern).ToList();
        Assert.NotEmpty(customers);
        return customers;
    }

    private async Task<IReadOnlyList<string>> StreamIdsAsync()
    {
        await using var command = Ledger.Database.DataSource.CreateCommand("select id from ledger.streams order by id");
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
            ids.Add(reader.GetString(0));
        return ids;
    }
}
