using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.EventStore.Daemon;
using RelationshipLedger.EventStore.Rebuilds;
using RelationshipLedger.Testing;

namespace RelationshipLedger.EventStore.Tests.Rebuilds;

/// <summary>
/// Rebuilds of a generic projection: cancelled half-way and resumed, one at a time, their progress while
/// the events to replay are counted, and the swap under a live runner that holds a batch it read before
/// the swap.
/// </summary>
public sealed class RebuildTests : StoreTestClass
{
    [Fact]
    public async Task A_rebuild_cancelled_half_way_leaves_the_live_model_untouched_and_resumes_from_its_checkpoint()
    {
        var projection = new LogCopyProjection("copy_cancel") { IndexByStreamAfterBulk = true };
        await projection.CreateTableAsync(Database.DataSource);
        await AppendEventsAsync("cancel", streams: 10, eventsPerStream: 30);
        await using (var daemon = RunningDaemon.Start(Store, [projection]))
            await WaitCaughtUpAsync(projection.Name);
        var liveBefore = await ContentHashes.ComputeLiveAsync(Database.DataSource, projection);
        Assert.Equal(300, liveBefore.Rows);

        var rebuilder = new ProjectionRebuilder(Store, new RebuildOptions { BatchSize = 10 });
        long id;
        await using (var first = (await rebuilder.TryStartAsync(projection))!)
        {
            id = first.Id;
            Assert.False(first.Resumed);
            Assert.Null(await rebuilder.TryStartAsync(projection));
            using var cancel = new CancellationTokenSource();
            var progress = new SynchronousProgress(p =>
            {
                if (p.EventsDone >= 100)
                    cancel.Cancel();
            });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunAsync(progress, cancel.Token));
        }

        var interrupted = (await new RebuildOperations(Database.DataSource).GetAsync(id))!;
        Assert.Equal(RebuildState.Interrupted, interrupted.State);
        Assert.InRange(interrupted.EventsDone, 100, 299);
        Assert.Equal(liveBefore, await ContentHashes.ComputeLiveAsync(Database.DataSource, projection));
        Assert.Equal(
            interrupted.EventsDone,
            await CountAsync($"select count(*) from ledger.{projection.Table}_rebuild")
        );
        // Interrupted in the bulk: the shadow has its constraints' indexes, not yet the one built after the bulk.
        Assert.Equal(
            ["event_id", "position_tx, position_seq"],
            await IndexedColumnsAsync($"{projection.Table}_rebuild")
        );

        await using (var resumed = (await rebuilder.TryStartAsync(projection))!)
        {
            Assert.True(resumed.Resumed);
            Assert.Equal(id, resumed.Id);
            Assert.Equal(interrupted.Position, resumed.ResumedFrom);
            var result = await resumed.RunAsync();
            Assert.Equal(300, result.EventsDone);
            Assert.True(result.Hashes.MatchesLive);
            Assert.Equal(liveBefore.Hash, result.Hashes.Shadow.Hash);
            Assert.Equal(liveBefore, result.Hashes.Live);
        }
        var completed = (await new RebuildOperations(Database.DataSource).GetAsync(id))!;
        Assert.Equal(RebuildState.Completed, completed.State);
        Assert.Equal(liveBefore.Hash, completed.Hashes!.Shadow.Hash);
        Assert.Equal(liveBefore.Hash, (await ContentHashes.ComputeLiveAsync(Database.DataSource, projection)).Hash);
        Assert.Equal(
            0,
            await CountAsync($"select count(*) from pg_class where relname = '{projection.Table}_rebuild'")
        );
        // The swapped-in table has every index, built after the bulk of the resumed run, and the indexes
        // carry the live names again, so a later migration finds them; it was analyzed before the swap.
        Assert.Equal(
            ["event_id", "position_tx, position_seq", "stream_id"],
            await IndexedColumnsAsync(projection.Table)
        );
        Assert.Equal(
            2,
            await CountAsync(
                $"select count(*) from pg_indexes where tablename = '{projection.Table}' "
                    + $"and indexname in ('{projection.Table}_pkey', '{projection.IndexByStream}')"
            )
        );
        Assert.Equal(
            1,
            await CountAsync(
                $"select count(*) from pg_stat_user_tables where relname = '{projection.Table}' and last_analyze is not null"
            )
        );
    }

    [Fact]
    public async Task After_the_swap_the_live_runner_fails_its_compare_and_set_reloads_and_applies_every_event_exactly_once()
    {
        // Two instances of one projection: the daemon's keeps failing (transiently) on the 'late'
        // stream, so its runner retries a batch it read before the swap; the rebuild's applies it.
        var live = new LogCopyProjection("copy_swap");
        var rebuilt = new LogCopyProjection("copy_swap");
        await live.CreateTableAsync(Database.DataSource);
        await AppendEventsAsync("early", streams: 4, eventsPerStream: 10);
        var logs = new CapturingLoggerFactory();
        using var stop = new CancellationTokenSource();
        var daemon = new ProjectionDaemon(
            Store,
            [live],
            RunningDaemon.FastOptions("swap") with
            {
                MaxAttempts = 1_000_000,
            },
            logs
        );
        var running = daemon.RunAsync(stop.Token);
        try
        {
            await WaitCaughtUpAsync(live.Name);
            live.FailWith(e =>
                e.StreamId.StartsWith("late", StringComparison.Ordinal) ? new TimeoutException("slow") : null
            );
            await AppendEventsAsync("late", streams: 2, eventsPerStream: 5);
            var operations = new ProjectionOperations(Database.DataSource);
            await Eventually.IsTrueAsync(
                async () => (await operations.GetAsync(live.Name))!.State == ProjectionState.Retrying,
                "the live runner to retry the late batch"
            );
            // Another test's open transaction anywhere on the cluster would hide the late events from the rebuild.
            await Database.WaitUntilLogReadableAsync();

            await using (var rebuild = (await new ProjectionRebuilder(Store).TryStartAsync(rebuilt))!)
            {
                var result = await rebuild.RunAsync();
                Assert.Equal(50, result.EventsDone);
                Assert.Null(result.Hashes.MatchesLive);
            }
            await Eventually.IsTrueAsync(
                () => Task.FromResult(logs.Messages.Any(m => m.Contains("checkpoint moved", StringComparison.Ordinal))),
                "the live runner's compare-and-set to fail and the checkpoint to be read again"
            );

            await AppendEventsAsync("after", streams: 3, eventsPerStream: 4);
            await WaitCaughtUpAsync(live.Name);
            var all = await AllEventIdsAsync();
            Assert.Equal(62, all.Count);
            Assert.Equal(all, await live.EventIdsAsync(Database.DataSource));
            var status = (await operations.GetAsync(live.Name))!;
            Assert.Equal((ProjectionState.Running, 62L), (status.State, status.EventsApplied));
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }
    }

    [Fact]
    public async Task Progress_gives_the_whole_count_once_it_is_known_and_no_time_left_before()
    {
        var projection = new LogCopyProjection("copy_progress");
        await projection.CreateTableAsync(Database.DataSource);
        await AppendEventsAsync("progress", streams: 10, eventsPerStream: 30);
        await using (var daemon = RunningDaemon.Start(Store, [projection]))
            await WaitCaughtUpAsync(projection.Name);
        var reports = new List<RebuildProgress>();

        var rebuilder = new ProjectionRebuilder(Store, new RebuildOptions { BatchSize = 10 });
        await using var rebuild = (await rebuilder.TryStartAsync(projection))!;
        var result = await rebuild.RunAsync(new SynchronousProgress(reports.Add));

        Assert.True(result.EventsDone >= 300);
        Assert.Equal("completed", reports[^1].Phase);
        Assert.All(
            reports,
            report =>
            {
                if (report.TotalKnown)
                    Assert.Equal(result.EventsDone, report.EventsTotal);
                else
                    Assert.True(report.TimeLeft is null && report.EventsTotal == report.EventsDone, $"{report}");
            }
        );
        Assert.True(reports[^1].TotalKnown);
        var recorded = (await new RebuildOperations(Database.DataSource).GetAsync(rebuild.Id))!;
        Assert.Equal(result.EventsDone, recorded.EventsTotal);
    }

    private async Task AppendEventsAsync(string prefix, int streams, int eventsPerStream)
    {
        for (var s = 0; s < streams; s++)
        {
            var events = Enumerable
                .Range(0, eventsPerStream)
                .Select(i => new EventToAppend(new NoteAdded($"{prefix} {s} {i}")))
                .ToArray();
            await Store.AppendAsync($"{prefix}-{s}", ExpectedVersion.NoStream, events, "account");
        }
    }

    private async Task WaitCaughtUpAsync(string projection)
    {
        var operations = new ProjectionOperations(Database.DataSource);
        await Eventually.IsTrueAsync(
            async () => await operations.GetAsync(projection) is { LagEvents: 0 },
            $"{projection} to catch up"
        );
    }

    private async Task<List<Guid>> AllEventIdsAsync()
    {
        await using var command = Database.DataSource.CreateCommand(
            "select event_id from ledger.events order by tx_id, seq_id"
        );
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync())
            ids.Add(reader.GetGuid(0));
        return ids;
    }

    /// <summary>The columns of each index of ledger.<paramref name="table"/>, in order.</summary>
    private async Task<List<string>> IndexedColumnsAsync(string table)
    {
        await using var command = Database.DataSource.CreateCommand(
            "select regexp_replace(indexdef, '^.*\\((.*)\\)$', '\\1') from pg_indexes "
                + "where schemaname = 'ledger' and tablename = $1 order by 1"
        );
        command.Parameters.Add(new() { Value = table, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync();
        var columns = new List<string>();
        while (await reader.ReadAsync())
            columns.Add(reader.GetString(0));
        return columns;
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var command = Database.DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private sealed class SynchronousProgress(Action<RebuildProgress> report) : IProgress<RebuildProgress>
    {
        public void Report(RebuildProgress value) => report(value);
    }
}
