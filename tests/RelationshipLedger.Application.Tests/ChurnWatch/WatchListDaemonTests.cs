using Npgsql;
using RelationshipLedger.Application.ChurnWatch;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Daemon;
using RelationshipLedger.EventStore.Projections;
using RelationshipLedger.Testing;
using static RelationshipLedger.Application.Tests.ChurnWatch.ChurnHistories;

namespace RelationshipLedger.Application.Tests.ChurnWatch;

/// <summary>
/// The watch list kept by the projection daemon and read as of <see cref="ChurnHistories.Now"/>:
/// <code>
/// cycle       lengthening cycle, contact 40 days ago; flagged 50 days ago, still standing
/// recovering  lengthening cycle; flagged 50 days ago; a purchase 5 days ago clears it: not listed
/// halved      halved volume, contact 20 days ago (before its flag); flagged now
/// unhappy     low satisfaction; flagged now, then a contact now
/// ended       low satisfaction; flagged now, then the relationship ended: not listed
/// healthy     never flagged: not listed
/// </code>
/// </summary>
public sealed class WatchListDaemonTests : IAsyncLifetime
{
    private Ledger _ledger = null!;
    private ChurnHistories _histories = null!;

    public async Task InitializeAsync()
    {
        _ledger = await Ledger.CreateAsync();
        _histories = new ChurnHistories(_ledger.Handler);
        var job = Job(_ledger.Store, _ledger.Handler);
        await _histories.LengtheningCycleAsync("cycle");
        await _histories.ContactAsync("cycle", "k-1", DaysAgo(40));
        await _histories.LengtheningCycleAsync("recovering");
        await job.RunAsync(DaysAgo(50));
        await _histories.PurchaseAsync("recovering", "o-4", 100m, 5);
        await _histories.HalvedVolumeAsync("halved");
        await _histories.ContactAsync("halved", "k-1", DaysAgo(20));
        await _histories.LowSatisfactionAsync("unhappy");
        await _histories.LowSatisfactionAsync("ended");
        await _histories.HealthyAsync("healthy");
        await job.RunAsync(Now);
        await _histories.ContactAsync("unhappy", "k-1", Now);
        await _histories.HandleAsync(
            "ended",
            new CustomerCommand.EndRelationship(EndCause.Dissatisfaction) { IssuedAt = Now }
        );
    }

    public async Task DisposeAsync() => await _ledger.DisposeAsync();

    [Fact]
    public async Task The_watch_list_shows_each_standing_episode_newest_first_with_its_signals_and_the_last_contact_since()
    {
        await CatchUpAsync();

        var page = await Queries().ListAsync(10, null);

        Assert.Equal(
            [
                "halved VolumeHalved flagged 0 days ago, no contact since",
                "unhappy LowSatisfaction flagged 0 days ago, contact 0 days ago Phone Company Service",
                "cycle PurchaseCycleLengthening flagged 50 days ago, contact 40 days ago Phone Company Service",
            ],
            page.Customers.Select(Describe)
        );
        Assert.Equal("Customer cycle", page.Customers[^1].Name);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task Pages_of_one_concatenate_to_the_whole_list()
    {
        await CatchUpAsync();
        var queries = Queries();
        var whole = await queries.ListAsync(10, null);

        var paged = new List<WatchListEntry>();
        WatchListCursor? cursor = null;
        for (var pages = 0; pages < 10; pages++)
        {
            var page = await queries.ListAsync(1, cursor);
            Assert.True(page.Customers.Count <= 1);
            paged.AddRange(page.Customers);
            if (page.NextCursor is null)
                break;
            Assert.True(WatchListCursor.TryParse(page.NextCursor, out var next));
            cursor = next;
        }

        Assert.Equal(whole.Customers.Select(c => c.CustomerId), paged.Select(c => c.CustomerId));
        Assert.Equal(["halved", "unhappy", "cycle"], paged.Select(c => c.CustomerId));
    }

    [Fact]
    public async Task The_read_model_equals_a_replay_of_the_log_in_small_batches()
    {
        await CatchUpAsync();
        var projection = new ChurnWatchProjection(_ledger.Store.Serializer);
        var replayTable = ProjectionTables.QualifiedName("ledger", "churn_watch_replay");
        await ExecuteAsync($"create table {replayTable} (like ledger.churn_watch including all)");

        var after = GlobalPosition.Start;
        while (true)
        {
            var batch = await _ledger.Store.ReadAllAsync(after, 3, projection.EventTypes);
            if (batch.Count == 0)
                break;
            await using var connection = await _ledger.Database.DataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            var tables = ProjectionTables.Map(projection, t => ProjectionTables.QualifiedName("ledger", t + "_replay"));
            await projection.ApplyAsync(batch, new AsyncProjectionContext(connection, transaction, tables), default);
            await transaction.CommitAsync();
            after = batch[^1].Position;
        }

        // Every customer but the healthy one (no flag, contact or end).
        Assert.Equal(5, await CountAsync("select count(*) from ledger.churn_watch"));
        Assert.Equal(
            0,
            await CountAsync(
                $"select count(*) from ((select * from ledger.churn_watch except select * from {replayTable}) "
                    + $"union all (select * from {replayTable} except select * from ledger.churn_watch)) d"
            )
        );
    }

    private ChurnWatchQueries Queries() =>
        new(_ledger.Database.DataSource, _ledger.Loader, LifecycleRules.Default, new FixedClock(Now));

    /// <summary>Runs the ledger's projections until the watch list has applied every event of its types.</summary>
    private async Task CatchUpAsync()
    {
        await using var daemon = RunningDaemon.Start(
            _ledger.Store,
            LedgerServices.CreateAsyncProjections(_ledger.Store.Serializer)
        );
        var operations = new ProjectionOperations(_ledger.Database.DataSource);
        await Eventually.IsTrueAsync(
            async () =>
                await operations.GetAsync(ChurnWatchProjection.ProjectionName) is { LagEvents: 0, EventsApplied: > 0 },
            "the watch list to catch up"
        );
    }

    private static string Describe(WatchListEntry entry) =>
        $"{entry.CustomerId} {string.Join(",", entry.Signals)} flagged {(Now - entry.FlaggedAt).TotalDays:0} days ago, "
        + (
            entry.LastContactSince is { } c
                ? $"contact {(Now - c.At).TotalDays:0} days ago {c.Channel} {c.Initiator} {c.Purpose}"
                : "no contact since"
        );

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _ledger.Database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var command = _ledger.Database.DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
