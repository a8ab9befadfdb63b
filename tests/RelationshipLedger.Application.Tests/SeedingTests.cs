using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Seeding;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.EventStore.Integrity;

namespace RelationshipLedger.Application.Tests;

public sealed class SeedingTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private Ledger _ledger = null!;
    private SeedHistories _seeder = null!;

    public async Task InitializeAsync()
    {
        _ledger = await Ledger.CreateAsync();
        _seeder = new SeedHistories(_ledger.Handler, _ledger.Loader, LifecycleRules.Default);
    }

    public async Task DisposeAsync() => await _ledger.DisposeAsync();

    [Fact]
    public async Task Forty_seeded_customers_cover_every_lifecycle_stage_and_every_chain_verifies()
    {
        var report = await _seeder.SeedAsync(new SeedOptions(40, Seed: 7, Now));

        Assert.Equal(40, report.Customers);
        var queries = new CustomerQueries(_ledger.Loader, LifecycleRules.Default, TimeProvider.System);
        var stages = new Dictionary<SeedPattern, HashSet<LifecycleStage>>();
        for (var index = 0; index < 40; index++)
        {
            var overview = await queries.GetOverviewAsync(SeedHistories.CustomerIdOf(index), new TimeTravel(AsOf: Now));
            var pattern = SeedMix.PatternOf(index);
            if (!stages.TryGetValue(pattern, out var seen))
                stages[pattern] = seen = [];
            seen.Add(overview!.LifecycleStage);
        }
        Assert.Equal([LifecycleStage.Cultivation], stages[SeedPattern.TrialBuyer]);
        Assert.Equal([LifecycleStage.Growth], stages[SeedPattern.GrowingAccount]);
        Assert.Equal([LifecycleStage.Maturity], stages[SeedPattern.MaturePartner]);
        Assert.Equal([LifecycleStage.Decline], stages[SeedPattern.DecliningAccount]);
        Assert.Contains(LifecycleStage.Ended, stages[SeedPattern.EndedRelationship]);
        await foreach (var recorded in _ledger.Store.ReadAllForwardAsync(EventStore.GlobalPosition.Start))
            Assert.InRange(recorded.OccurredAt, Now - SeedHistories.LongestHistory, Now);
        var verification = await new ChainVerifier(_ledger.Store).VerifyAllAsync();
        Assert.True(verification.Valid);
        Assert.Equal(40, verification.Streams);
        Assert.Equal(report.Events, verification.Events);
    }

    [Fact]
    public async Task Seeding_again_with_the_same_options_leaves_the_existing_customers_alone()
    {
        var options = new SeedOptions(10, Seed: 3, Now);
        var first = await _seeder.SeedAsync(options);

        var second = await _seeder.SeedAsync(options);

        Assert.Equal(10, first.Customers);
        Assert.Equal((0, 10, 0), (second.Customers, second.AlreadyPresent, second.Events));
    }
}
