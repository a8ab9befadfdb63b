using RelationshipLedger.EventStore.Daemon;
using RelationshipLedger.EventStore.Projections;
using RelationshipLedger.Testing;

namespace RelationshipLedger.EventStore.Tests.Daemon;

/// <summary>How a runner follows the log: only its event types, waking on a notification, and the contract's checks.</summary>
public sealed class FollowingTheLogTests : StoreTestClass
{
    [Fact]
    public async Task A_projection_of_some_types_gets_only_those_and_its_checkpoint_moves_past_the_others()
    {
        var purchases = new RecordingProjection("purchases", ["PurchaseMade"]);
        await purchases.CreateTableAsync(Database.DataSource);
        var operations = new ProjectionOperations(Database.DataSource);
        await using var daemon = RunningDaemon.Start(Store, [purchases]);

        var bought = await Store.AppendAsync("shop", ExpectedVersion.Any, [TestStores.Purchase("o-1", 10m)]);
        var noted = await Store.AppendAsync("shop", ExpectedVersion.Any, [new(new NoteAdded("just a note"))]);

        var status = await Eventually.ReturnsAsync(
            () => operations.GetAsync(purchases.Name),
            s => s?.Position == noted.LastPosition,
            "the checkpoint to reach the note it does not read"
        );
        Assert.Equal(0, status!.LagEvents);
        Assert.Equal(1, status.EventsApplied);
        Assert.Equal([bought.Events[0].EventId], await purchases.AppliedAsync(Database.DataSource));
    }

    [Fact]
    public async Task A_notification_on_the_events_channel_wakes_an_idle_runner_before_its_poll_interval()
    {
        var recorder = new RecordingProjection("woken");
        await recorder.CreateTableAsync(Database.DataSource);
        var operations = new ProjectionOperations(Database.DataSource);
        var options = RunningDaemon.FastOptions("sleepy") with { PollInterval = TimeSpan.FromHours(1) };
        await using var daemon = RunningDaemon.Start(Store, [recorder], options);
        await Eventually.IsTrueAsync(
            async () => (await operations.GetAsync(recorder.Name))?.Holder == "sleepy",
            "the runner to take its projection"
        );

        var appended = await Store.AppendAsync("ping", ExpectedVersion.Any, [new(new NoteAdded("wake up"))]);
        await LedgerSql.ScalarAsync<object>(Database.DataSource, "select pg_notify('ledger_events', '')");

        await Eventually.IsTrueAsync(
            async () => (await recorder.AppliedAsync(Database.DataSource)).Contains(appended.Events[0].EventId),
            "the notified runner to apply the event"
        );
    }

    /// <summary>
    /// The daemon's interval here is an hour: after its first batch reaches the head, a runner pacing
    /// by it would not read again within the test. The projection's own interval (none) decides.
    /// </summary>
    [Fact]
    public async Task A_projection_with_its_own_batch_interval_is_paced_by_it_not_by_the_daemons()
    {
        var eager = new RecordingProjection("eager") { MinimumBatchInterval = TimeSpan.Zero };
        await eager.CreateTableAsync(Database.DataSource);
        var options = RunningDaemon.FastOptions("paced") with { MinimumBatchInterval = TimeSpan.FromHours(1) };
        await using var daemon = RunningDaemon.Start(Store, [eager], options);
        var first = await Store.AppendAsync("pace", ExpectedVersion.Any, [new(new NoteAdded("first"))]);
        await Eventually.IsTrueAsync(
            async () => (await eager.AppliedAsync(Database.DataSource)).Contains(first.Events[0].EventId),
            "the runner to apply the first event"
        );

        var second = await Store.AppendAsync("pace", ExpectedVersion.Any, [new(new NoteAdded("second"))]);

        await Eventually.IsTrueAsync(
            async () => (await eager.AppliedAsync(Database.DataSource)).Contains(second.Events[0].EventId),
            "the runner to apply the second event without waiting the daemon's hour"
        );
    }

    [Fact]
    public void The_daemon_refuses_projections_with_bad_or_duplicate_names_or_tables()
    {
        Assert.Throws<ArgumentException>(() => new ProjectionDaemon(Store, [new RecordingProjection("Not-Valid")]));
        Assert.Throws<ArgumentException>(() =>
            new ProjectionDaemon(Store, [new RecordingProjection("twice"), new RecordingProjection("twice")])
        );
        Assert.Throws<ArgumentException>(() => new ProjectionDaemon(Store, [new QualifiedTableProjection()]));
    }

    [Fact]
    public async Task A_projection_writes_only_through_the_tables_it_declared()
    {
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var projection = new RecordingProjection("declared");
        var context = new AsyncProjectionContext(connection, transaction, ProjectionTables.Live(projection));

        Assert.Equal("\"ledger\".\"declared_applied\"", context.Table("declared_applied"));
        Assert.Throws<ArgumentException>(() => context.Table("events"));
        var shadow = ProjectionTables.Map(projection, t => ProjectionTables.QualifiedName("ledger", t + "_shadow"));
        Assert.Equal("\"ledger\".\"declared_applied_shadow\"", shadow["declared_applied"]);
    }

    private sealed class QualifiedTableProjection : IAsyncProjection
    {
        public string Name => "qualified";

        public IReadOnlyCollection<string>? EventTypes => null;

        public IReadOnlyList<string> Tables => ["public.somewhere"];

        public Task ApplyAsync(
            IReadOnlyList<RecordedEvent> events,
            AsyncProjectionContext context,
            CancellationToken cancellationToken
        ) => Task.CompletedTask;
    }
}
