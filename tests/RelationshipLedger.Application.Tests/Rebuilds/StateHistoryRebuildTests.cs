using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Seeding;
using RelationshipLedger.Application.StateHistory;
using RelationshipLedger.Application.Tests.StateHistory;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Rebuilds;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Application.Tests.Rebuilds;

/// <summary>
/// Rebuilds of the state history, whose bulk replay folds every stream in memory across batches
/// (<c>StateHistoryReplay</c>), against the live model the daemon kept with its own
/// <c>ApplyAsync</c>: customers' histories interleaved a few events at a time, so each stream
/// spans many batches and every batch ends inside streams; with events of other types (contacts,
/// complaints, churn flags) between and after the projection's own.
/// </summary>
public sealed class StateHistoryRebuildTests : IAsyncLifetime
{
    private const int Customers = 12;
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private Ledger _ledger = null!;
    private RunningDaemon _daemon = null!;

    public async Task InitializeAsync()
    {
        _ledger = await Ledger.CreateAsync();
        _daemon = RunningDaemon.Start(
            _ledger.Store,
            [new StateHistoryProjection(_ledger.Store.Serializer, LifecycleRules.Default)]
        );
        await AppendInterleavedAsync();
        await StatePeriodRows.CaughtUpAsync(_ledger.Database.DataSource);
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        await _ledger.DisposeAsync();
    }

    /// <summary>
    /// Small batches, with states kept for every stream (folded in memory from version 1 on), for
    /// one stream at a time (forgotten all the time: most batches refold their streams from the
    /// log) and for a few.
    /// </summary>
    [Theory]
    [InlineData(7, 2048)]
    [InlineData(7, 1)]
    [InlineData(23, 3)]
    public async Task A_rebuild_whose_streams_cross_many_batches_reproduces_the_live_model(int batchSize, int states)
    {
        var live = await ContentHashes.ComputeLiveAsync(_ledger.Database.DataSource, Projection(states));
        Assert.True(live.Rows > Customers);

        await using var rebuild = (
            await new ProjectionRebuilder(_ledger.Store, new RebuildOptions { BatchSize = batchSize }).TryStartAsync(
                Projection(states)
            )
        )!;
        var result = await rebuild.RunAsync();

        Assert.True(result.Hashes.MatchesLive);
        Assert.Equal(live.Hash, result.Hashes.Shadow.Hash);
        // The replay reads every customer event, but only the projection's own count as done.
        Assert.Equal(await CountOwnEventsAsync(), result.EventsDone);
    }

    [Fact]
    public async Task A_rebuild_cancelled_half_way_resumes_mid_stream_and_reproduces_the_live_model()
    {
        var live = await ContentHashes.ComputeLiveAsync(_ledger.Database.DataSource, Projection(2048));
        var own = await CountOwnEventsAsync();
        var rebuilder = new ProjectionRebuilder(_ledger.Store, new RebuildOptions { BatchSize = 11 });
        await using (var first = (await rebuilder.TryStartAsync(Projection(2048)))!)
        {
            using var cancel = new CancellationTokenSource();
            var progress = new SynchronousProgress(p =>
            {
                if (p.EventsDone >= own / 2)
                    cancel.Cancel();
            });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunAsync(progress, cancel.Token));
        }

        await using var resumed = (await rebuilder.TryStartAsync(Projection(2048)))!;
        Assert.True(resumed.Resumed);
        var result = await resumed.RunAsync();

        Assert.True(result.Hashes.MatchesLive);
        Assert.Equal(live.Hash, result.Hashes.Shadow.Hash);
        Assert.Equal(own, result.EventsDone);
    }

    private StateHistoryProjection Projection(int states) =>
        new(_ledger.Store.Serializer, LifecycleRules.Default) { ReplayCacheStreams = states };

    /// <summary>Each customer's decided history, appended one to three events at a time, customer after customer in turn.</summary>
    private async Task AppendInterleavedAsync()
    {
        var histories = Enumerable.Range(0, Customers).Select(i => DecidedHistories.Decide(i, seed: 11, Now)).ToArray();
        var appended = new int[Customers];
        var random = new Random(3);
        for (var round = 0; appended.Where((n, c) => n < histories[c].Count).Any(); round++)
        for (var c = 0; c < Customers; c++)
        {
            if (appended[c] >= histories[c].Count)
                continue;
            var take = Math.Min(random.Next(1, 4), histories[c].Count - appended[c]);
            await _ledger.Store.AppendAsync(
                $"interleaved-{c:00}",
                ExpectedVersion.Exactly(appended[c]),
                histories[c].Skip(appended[c]).Take(take).ToList(),
                CustomerId.StreamType
            );
            appended[c] += take;
        }
    }

    private async Task<long> CountOwnEventsAsync()
    {
        await using var command = _ledger.Database.DataSource.CreateCommand(
            "select count(*) from ledger.events where type = any ($1)"
        );
        command.Parameters.Add(new() { Value = Projection(1).EventTypes!.ToArray() });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private sealed class SynchronousProgress(Action<RebuildProgress> report) : IProgress<RebuildProgress>
    {
        public void Report(RebuildProgress value) => report(value);
    }
}
