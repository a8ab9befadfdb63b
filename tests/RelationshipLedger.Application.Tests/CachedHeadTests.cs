using System.Text.Json;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Customers.Caching;
using RelationshipLedger.Application.Overview;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using static RelationshipLedger.Domain.Customers.CustomerCommand;

namespace RelationshipLedger.Application.Tests;

/// <summary>
/// The command handler decides on the head state its process cached. Another process (here: a second
/// handler with a cache of its own on the same database) may have appended since; these tests prove
/// that a stale cache never leads to a wrong outcome, only to a reload.
/// </summary>
public sealed class CachedHeadTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly CommandContext Recorder = new("cache-test");
    private Ledger _ledger = null!;
    private CustomerCommandHandler _otherProcess = null!;

    public async Task InitializeAsync()
    {
        _ledger = await Ledger.CreateAsync();
        var otherCache = new CustomerStateCache();
        var otherStore = LedgerServices.CreateStore(_ledger.Database.DataSource, LifecycleRules.Default, otherCache);
        _otherProcess = new CustomerCommandHandler(otherStore, new CustomerStateLoader(otherStore, otherCache));
    }

    public async Task DisposeAsync() => await _ledger.DisposeAsync();

    [Fact]
    public async Task A_command_after_another_process_appended_reloads_and_lands_on_top()
    {
        await RegisterThenPurchaseAsync("c-behind", "o-1");
        await _otherProcess.HandleAsync("c-behind", Purchase("o-2"), Recorder);

        var outcome = await _ledger.Handler.HandleAsync("c-behind", Purchase("o-3"), Recorder);

        Assert.True(outcome.IsAccepted);
        Assert.Equal(4, outcome.Version);
        var head = _ledger.Loader.Cache.Head("c-behind")!;
        Assert.Equal(4, head.Version);
        Assert.Equal(["o-1", "o-2", "o-3"], head.State.Orders.Keys.Order());
    }

    [Fact]
    public async Task A_command_the_stale_cache_would_refuse_is_decided_again_on_the_stream()
    {
        await RegisterThenPurchaseAsync("c-refund", "o-1");
        await _otherProcess.HandleAsync("c-refund", Purchase("o-2"), Recorder);

        // The cached head has never seen o-2: deciding on it alone would answer "unknown order".
        var outcome = await _ledger.Handler.HandleAsync(
            "c-refund",
            new RefundPurchase("o-2", 10m, "damaged") { IssuedAt = Now },
            Recorder
        );

        Assert.True(outcome.IsAccepted);
        Assert.Equal(4, outcome.Version);
    }

    [Fact]
    public async Task A_pinned_version_is_checked_against_the_stream_not_the_cache()
    {
        await RegisterThenPurchaseAsync("c-pinned", "o-1");
        await _otherProcess.HandleAsync("c-pinned", Purchase("o-2"), Recorder);

        var current = await _ledger.Handler.HandleAsync(
            "c-pinned",
            Purchase("o-3"),
            Recorder with
            {
                ExpectedVersion = 3,
            }
        );
        var stale = await _ledger.Handler.HandleAsync(
            "c-pinned",
            Purchase("o-4"),
            Recorder with
            {
                ExpectedVersion = 3,
            }
        );

        Assert.True(current.IsAccepted);
        Assert.True(stale.IsStale);
        Assert.Equal(4, stale.Version);
        Assert.Equal(4, (await _ledger.Store.GetStreamAsync("c-pinned"))!.Version);
    }

    [Fact]
    public async Task The_inline_overview_folds_what_another_process_appended_since_this_cache()
    {
        await RegisterThenPurchaseAsync("c-overview", "o-1");
        await _otherProcess.HandleAsync(
            "c-overview",
            new ChangeTier(RelationshipTier.Partner, "joint roadmap", "head-of-sales") { IssuedAt = Now },
            Recorder
        );
        await _ledger.Handler.HandleAsync("c-overview", Purchase("o-3"), Recorder);

        await using var command = _ledger.Database.DataSource.CreateCommand(
            "select version, tier from ledger.customer_overview where customer_id = 'c-overview'"
        );
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((4L, nameof(RelationshipTier.Partner)), (reader.GetInt64(0), reader.GetString(1)));
    }

    [Fact]
    public async Task Live_commands_leave_a_stage_mark_from_which_the_overview_now_continues_exactly()
    {
        var id = "c-live";
        await _ledger.Handler.HandleAsync(
            id,
            new RegisterCustomer("Live Ltd", CustomerKind.Organization) { IssuedAt = DateTimeOffset.UtcNow },
            Recorder
        );
        for (var i = 1; i <= 5; i++)
            await _ledger.Handler.HandleAsync(
                id,
                new RecordPurchase($"o-{i}", 100m, "EUR") { IssuedAt = DateTimeOffset.UtcNow },
                Recorder
            );
        var head = _ledger.Loader.Cache.Head(id)!;
        // Half a year and more later, the purchases have left the recent window: Decline, by time alone.
        var later = DateTimeOffset.UtcNow.AddDays(200);
        var fromScratch = await _ledger.Loader.LoadFromScratchAsync(id, TimeTravel.Now);
        var expected = Json(CustomerOverview.From(id, CustomerSummary.Of(fromScratch.State, later), later));

        var warm = await new CustomerQueries(
            _ledger.Loader,
            LifecycleRules.Default,
            new FixedClock(later)
        ).GetOverviewAsync(id, TimeTravel.Now);
        var cold = await new CustomerQueries(
            new CustomerStateLoader(_ledger.Store, CustomerStateCache.None),
            LifecycleRules.Default,
            new FixedClock(later)
        ).GetOverviewAsync(id, TimeTravel.Now);

        Assert.Equal(6, head.Stage?.Version);
        Assert.Equal(LifecycleStage.Growth, head.Stage?.Stage);
        Assert.Equal(LifecycleStage.Decline, warm!.LifecycleStage);
        Assert.Equal(expected, Json(warm));
        Assert.Equal(expected, Json(cold));
    }

    private static string Json(CustomerOverview? overview) => JsonSerializer.Serialize(overview, ReadModelJson.Options);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static RecordPurchase Purchase(string orderId) => new(orderId, 10m, "EUR") { IssuedAt = Now };

    private async Task RegisterThenPurchaseAsync(string customerId, string orderId)
    {
        await _ledger.Handler.HandleAsync(
            customerId,
            new RegisterCustomer("Cache Ltd", CustomerKind.Organization) { IssuedAt = Now },
            Recorder
        );
        await _ledger.Handler.HandleAsync(customerId, Purchase(orderId), Recorder);
        Assert.Equal(2, _ledger.Loader.Cache.Head(customerId)?.Version);
    }
}
