using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Customers.Caching;
using RelationshipLedger.Application.Customers.Snapshots;
using RelationshipLedger.Application.Overview;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Application.Tests;

/// <summary>
/// Projections are deterministic folds: for generated histories, the inline overview, a fold of the
/// stream from scratch at its head, a snapshot-assisted fold at version = head, the head state the
/// command handler cached and a load by a process without that cache agree exactly; and a time-travel
/// read that starts from a snapshot agrees with one that folds from the start.
/// </summary>
public sealed class FoldAgreementProperties : IAsyncLifetime
{
    private Ledger _ledger = null!;

    public async Task InitializeAsync() => _ledger = await Ledger.CreateAsync();

    public async Task DisposeAsync() => await _ledger.DisposeAsync();

    [Fact]
    public void Inline_overview_fold_at_head_and_fold_at_head_version_agree_for_generated_histories() =>
        Check(HistoryGenerator.HistoryGen(60), maxTest: 25, steps => InlineAndFoldsAgreeAsync(steps));

    [Fact]
    public void Long_histories_agree_across_snapshots_and_in_time_travel() =>
        Check(
            HistoryGenerator.HistoryGen(320),
            maxTest: 3,
            steps => InlineAndFoldsAgreeAsync(steps, timeTravelSamples: 12)
        );

    private async Task<bool> InlineAndFoldsAgreeAsync(HistoryStep[] steps, int timeTravelSamples = 3)
    {
        var customerId = $"gen-{Guid.NewGuid():N}";
        var lastInstant = await HistoryGenerator.RunAsync(_ledger, customerId, steps);
        var asOf = lastInstant.AddDays(1);

        var (inlineOverview, inlineVersion, updatedAt) = await InlineOverviewAsync(customerId);
        var fromScratch = await _ledger.Loader.LoadFromScratchAsync(customerId, TimeTravel.Now);
        var cachedHead = _ledger.Loader.Cache.Head(customerId);
        var atHeadVersion = await _ledger.Loader.LoadAsync(customerId, new TimeTravel(Version: fromScratch.Version));
        var current = await _ledger.Loader.LoadCurrentAsync(customerId);
        var withoutCache = await new CustomerStateLoader(_ledger.Store, CustomerStateCache.None).LoadCurrentAsync(
            customerId
        );

        var expected = StateSnapshot.Serialize(fromScratch.State);
        Assert.Equal(fromScratch.Version, inlineVersion);
        Assert.Equal(Summary(customerId, fromScratch.State, updatedAt), inlineOverview);
        Assert.NotNull(cachedHead);
        Assert.Equal(fromScratch.Version, cachedHead.Version);
        Assert.Equal(expected, StateSnapshot.Serialize(cachedHead.State));
        Assert.Equal(expected, StateSnapshot.Serialize(atHeadVersion.State));
        Assert.Equal(expected, StateSnapshot.Serialize(current.State));
        Assert.Equal(expected, StateSnapshot.Serialize(withoutCache.State));
        Assert.Equal(Summary(customerId, fromScratch.State, asOf), Summary(customerId, current.State, asOf));
        // Reads through the queries continue the stage from a mark (the head's, a snapshot's, the overview
        // row's) instead of replaying the history: with and without this process's cache, the same answer.
        var clock = new FixedClock(asOf);
        var uncached = new CustomerQueries(
            new CustomerStateLoader(_ledger.Store, CustomerStateCache.None),
            LifecycleRules.Default,
            clock
        );
        var cached = new CustomerQueries(_ledger.Loader, LifecycleRules.Default, clock);
        Assert.Equal(
            Summary(customerId, fromScratch.State, asOf),
            Json(await uncached.GetOverviewAsync(customerId, TimeTravel.Now))
        );
        Assert.Equal(
            Summary(customerId, fromScratch.State, asOf),
            Json(await cached.GetOverviewAsync(customerId, TimeTravel.Now))
        );

        var instants = await RecordedInstantsAsync(customerId);
        for (var i = 0; i < timeTravelSamples; i++)
        {
            var travel = new TimeTravel(
                AsOf: HistoryGenerator.Start.AddDays(
                    Random.Shared.Next(0, 1 + (int)(lastInstant - HistoryGenerator.Start).TotalDays)
                ),
                KnownAt: i % 2 == 0 ? null : instants[Random.Shared.Next(instants.Count)]
            );
            var withSnapshots = await _ledger.Loader.LoadAsync(customerId, travel);
            var scratch = await _ledger.Loader.LoadFromScratchAsync(customerId, travel);
            Assert.Equal(scratch.Version, withSnapshots.Version);
            if (scratch.State.IsRegistered)
            {
                var expectedThen = Summary(customerId, scratch.State, travel.AsOf!.Value);
                Assert.Equal(expectedThen, Summary(customerId, withSnapshots.State, travel.AsOf!.Value));
                Assert.Equal(expectedThen, Json(await uncached.GetOverviewAsync(customerId, travel)));
            }
            var atVersion = new TimeTravel(Version: Random.Shared.NextInt64(1, fromScratch.Version + 1));
            var scratchAtVersion = await _ledger.Loader.LoadFromScratchAsync(customerId, atVersion);
            if (scratchAtVersion.State.IsRegistered)
                Assert.Equal(
                    Summary(customerId, scratchAtVersion.State, scratchAtVersion.State.LatestOccurredAt),
                    Json(await uncached.GetOverviewAsync(customerId, atVersion))
                );
        }
        return true;
    }

    private static string Json(CustomerOverview? overview) => JsonSerializer.Serialize(overview, ReadModelJson.Options);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static string Summary(string customerId, CustomerState state, DateTimeOffset asOf) =>
        JsonSerializer.Serialize(
            CustomerOverview.From(customerId, CustomerSummary.Of(state, asOf), asOf),
            ReadModelJson.Options
        );

    /// <summary>The inline overview row: its document (re-serialized as the API serializes it), version and instant.</summary>
    private async Task<(string Overview, long Version, DateTimeOffset UpdatedAt)> InlineOverviewAsync(string customerId)
    {
        await using var command = _ledger.Database.DataSource.CreateCommand(
            "select summary, version, updated_at from ledger.customer_overview where customer_id = $1"
        );
        command.Parameters.Add(new() { Value = customerId });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "The inline overview has no row for the customer.");
        var overview = JsonSerializer.Deserialize<CustomerOverview>(reader.GetString(0), ReadModelJson.Options);
        return (
            JsonSerializer.Serialize(overview, ReadModelJson.Options),
            reader.GetInt64(1),
            reader.GetFieldValue<DateTimeOffset>(2)
        );
    }

    private async Task<List<DateTimeOffset>> RecordedInstantsAsync(string customerId)
    {
        var instants = new List<DateTimeOffset>();
        await foreach (var recorded in _ledger.Store.ReadStreamAsync(customerId))
            instants.Add(recorded.RecordedAt);
        return instants;
    }

    /// <summary>
    /// Runs the property with FsCheck; each case runs on the thread pool so the store's awaits never
    /// wait on the test framework's synchronization context.
    /// </summary>
    private static void Check(Gen<HistoryStep[]> histories, int maxTest, Func<HistoryStep[], Task<bool>> property) =>
        Prop.ForAll(histories.ToArbitrary(), steps => Task.Run(() => property(steps)).GetAwaiter().GetResult())
            .Check(Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithQuietOnSuccess(true));
}
