using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Customers.Snapshots;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using static RelationshipLedger.Domain.Customers.CustomerCommand;

namespace RelationshipLedger.Application.Tests;

public sealed class CommandHandlerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly CommandContext Recorder = new("recorder-test");
    private Ledger _ledger = null!;

    public async Task InitializeAsync() => _ledger = await Ledger.CreateAsync();

    public async Task DisposeAsync() => await _ledger.DisposeAsync();

    [Fact]
    public async Task As_many_concurrent_purchases_as_attempts_all_land_by_deciding_again()
    {
        await RegisterAsync("c-race");
        var purchases = Enumerable
            .Range(1, CustomerCommandHandler.MaxAttempts)
            .Select(i =>
                Task.Run(() =>
                    _ledger.Handler.HandleAsync(
                        "c-race",
                        new RecordPurchase($"o-{i}", 10m * i, "EUR") { IssuedAt = Now },
                        Recorder
                    )
                )
            );

        var outcomes = await Task.WhenAll(purchases);

        Assert.All(outcomes, o => Assert.True(o.IsAccepted));
        Assert.Equal(
            Enumerable.Range(2, CustomerCommandHandler.MaxAttempts).Select(v => (long)v),
            outcomes.Select(o => o.Version).Order()
        );
        var loaded = await _ledger.Loader.LoadCurrentAsync("c-race");
        Assert.Equal(CustomerCommandHandler.MaxAttempts, loaded.State.Orders.Count);
    }

    [Fact]
    public async Task A_pinned_version_that_no_longer_holds_is_stale_and_appends_nothing()
    {
        await RegisterAsync("c-stale");
        await _ledger.Handler.HandleAsync("c-stale", new RecordPurchase("o-1", 5m, "EUR") { IssuedAt = Now }, Recorder);

        var outcome = await _ledger.Handler.HandleAsync(
            "c-stale",
            new RecordPurchase("o-2", 5m, "EUR") { IssuedAt = Now },
            Recorder with
            {
                ExpectedVersion = 1,
            }
        );

        Assert.True(outcome.IsStale);
        Assert.Equal(2, outcome.Version);
        Assert.Equal(2, (await _ledger.Store.GetStreamAsync("c-stale"))!.Version);
    }

    [Fact]
    public async Task A_refused_command_appends_nothing_and_names_the_rule()
    {
        await RegisterAsync("c-refused");

        var outcome = await _ledger.Handler.HandleAsync(
            "c-refused",
            new RefundPurchase("missing", 5m, "why") { IssuedAt = Now },
            Recorder
        );

        Assert.Equal("unknown-order", outcome.Rejection!.Code);
        Assert.Equal(1, (await _ledger.Store.GetStreamAsync("c-refused"))!.Version);
    }

    [Fact]
    public async Task The_actor_and_reason_are_recorded_with_each_event()
    {
        await _ledger.Handler.HandleAsync(
            "c-meta",
            new RegisterCustomer("Meta Ltd", CustomerKind.Organization) { IssuedAt = Now },
            Recorder with
            {
                Reason = "signed at the fair",
                CorrelationId = "req-7",
            }
        );

        var recorded = await _ledger.Store.ReadStreamAsync("c-meta").SingleAsync();
        var metadata = _ledger.Store.Serializer.DeserializeMetadata(recorded.Metadata);
        Assert.Equal(
            ("recorder-test", "signed at the fair", "req-7"),
            (metadata.Actor, metadata.Reason, metadata.CorrelationId)
        );
    }

    [Fact]
    public async Task A_snapshot_is_kept_at_every_hundredth_version()
    {
        await RegisterAsync("c-long");
        for (var i = 1; i <= 205; i++)
            await _ledger.Handler.HandleAsync(
                "c-long",
                new RecordPurchase($"o-{i}", 1m, "EUR") { IssuedAt = Now },
                Recorder
            );

        await using var command = _ledger.Database.DataSource.CreateCommand(
            "select array_agg(version order by version) from ledger.customer_snapshots where customer_id = 'c-long'"
        );
        var versions = (long[])(await command.ExecuteScalarAsync())!;
        Assert.Equal(new long[] { 100, 200 }, versions);
    }

    /// <summary>
    /// The stage a snapshot stores is continued from the head's mark when it can be: the first snapshot
    /// here (business times a year back, before the marks' instants) is evaluated over the whole history,
    /// the second (business times now, after the previous append's mark) continued: large purchases now
    /// hold the stage in Growth from the first of them, so a mark continued from a wrong "since" shows.
    /// Both must equal the whole history evaluated at the snapshot's latest instant.
    /// </summary>
    [Fact]
    public async Task A_snapshot_stores_the_stage_the_whole_history_gives_at_its_latest_instant()
    {
        var yearAgo = DateTimeOffset.UtcNow.AddDays(-400);
        await _ledger.Handler.HandleAsync(
            "c-mark",
            new RegisterCustomer("Mark Ltd", CustomerKind.Organization) { IssuedAt = yearAgo },
            Recorder
        );
        for (var i = 1; i <= 204; i++)
        {
            var at = i <= 150 ? yearAgo.AddDays(i * 2 + (i % 7 == 0 ? 30 : 0)) : DateTimeOffset.UtcNow;
            await _ledger.Handler.HandleAsync(
                "c-mark",
                new RecordPurchase($"o-{i}", i <= 150 ? 10m * (1 + i % 5) : 1000m, "EUR") { IssuedAt = at },
                Recorder
            );
        }

        await using var command = _ledger.Database.DataSource.CreateCommand(
            $"select {StateSnapshot.Columns} from ledger.customer_snapshots where customer_id = 'c-mark' order by version"
        );
        await using var reader = await command.ExecuteReaderAsync();
        var snapshots = new List<StoredSnapshot>();
        while (await reader.ReadAsync())
            snapshots.Add(StateSnapshot.Read(reader));

        Assert.Equal([100L, 200L], snapshots.Select(s => s.State.Version));
        Assert.All(
            snapshots,
            snapshot =>
                Assert.Equal(StageHistory.MarkAt(snapshot.State, snapshot.State.LatestOccurredAt), snapshot.Stage)
        );
    }

    private Task<CommandOutcome> RegisterAsync(string customerId) =>
        _ledger.Handler.HandleAsync(
            customerId,
            new RegisterCustomer("Race Ltd", CustomerKind.Organization) { IssuedAt = Now },
            Recorder
        );
}
