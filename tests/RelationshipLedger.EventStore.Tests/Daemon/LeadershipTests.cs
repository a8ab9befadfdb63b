using Npgsql;
using RelationshipLedger.EventStore.Daemon;
using RelationshipLedger.Testing;

namespace RelationshipLedger.EventStore.Tests.Daemon;

/// <summary>Who runs what: one runner per projection across daemons, and a standby that takes over.</summary>
public sealed class LeadershipTests : StoreTestClass
{
    [Fact]
    public async Task Two_daemons_run_each_projection_in_exactly_one_and_the_survivor_takes_over_when_one_stops()
    {
        RecordingProjection[] projections = [new("alpha"), new("beta"), new("gamma")];
        foreach (var projection in projections)
            await projection.CreateTableAsync(Database.DataSource);
        await AppendNotesAsync("before", 20);
        var operations = new ProjectionOperations(Database.DataSource);

        var first = RunningDaemon.Start(Store, projections, RunningDaemon.FastOptions("node-a"));
        await using var second = RunningDaemon.Start(Store, projections, RunningDaemon.FastOptions("node-b"));
        try
        {
            await WaitUntilCaughtUpAsync(operations, projections.Length);
            await Eventually.IsTrueAsync(
                () =>
                    Task.FromResult(
                        projections.All(p =>
                            first.RoleOf(p.Name) != ProjectionRole.Stopped
                            && second.RoleOf(p.Name) != ProjectionRole.Stopped
                        )
                    ),
                "both daemons to have tried every lock"
            );
            foreach (var status in await operations.ListAsync())
            {
                var roles = new[] { first.RoleOf(status.Name), second.RoleOf(status.Name) };
                Assert.Equal(1, roles.Count(r => r == ProjectionRole.Active));
                Assert.Equal(1, roles.Count(r => r == ProjectionRole.Standby));
                var runner = first.RoleOf(status.Name) == ProjectionRole.Active ? "node-a" : "node-b";
                Assert.Equal(runner, status.Holder);
            }
            await AppendNotesAsync("while both run", 20);
            await WaitUntilCaughtUpAsync(operations, projections.Length);
        }
        finally
        {
            await first.DisposeAsync();
        }

        await AppendNotesAsync("after node-a stopped", 20);
        await WaitUntilCaughtUpAsync(operations, projections.Length);
        Assert.All(await operations.ListAsync(), s => Assert.Equal("node-b", s.Holder));
        Assert.All(projections, p => Assert.Equal(ProjectionRole.Active, second.RoleOf(p.Name)));
        await AssertEachEventAppliedOnceAsync(projections);
    }

    [Fact]
    public async Task A_runner_whose_session_is_killed_takes_its_projection_again_and_applies_nothing_twice()
    {
        var projection = new RecordingProjection("survivor");
        await projection.CreateTableAsync(Database.DataSource);
        var operations = new ProjectionOperations(Database.DataSource);
        await using var daemon = RunningDaemon.Start(Store, [projection]);
        await AppendNotesAsync("before", 30);
        await WaitUntilCaughtUpAsync(operations, 1);
        var pid = await DaemonSql.HolderPidAsync(Database.DataSource, projection.Name);
        Assert.NotNull(pid);

        await LedgerSql.ScalarAsync<bool>(Database.DataSource, "select pg_terminate_backend($1)", [pid.Value]);
        await AppendNotesAsync("after", 30);

        await Eventually.IsTrueAsync(
            async () => await DaemonSql.HolderPidAsync(Database.DataSource, projection.Name) is { } next && next != pid,
            "the runner to take its lock on a new session"
        );
        await WaitUntilCaughtUpAsync(operations, 1);
        await AssertEachEventAppliedOnceAsync([projection]);
    }

    /// <summary>
    /// A runner unlocks before its session ends: a closed session's server process may hold the lock a moment
    /// longer, which left a standby waiting a retry interval. Stopped thirty times, the lock is free every time.
    /// </summary>
    [Fact]
    public async Task A_stopped_daemon_has_released_its_projection_lock_when_it_returns()
    {
        var projection = new RecordingProjection("handover");
        await projection.CreateTableAsync(Database.DataSource);
        for (var attempt = 0; attempt < 30; attempt++)
        {
            var daemon = RunningDaemon.Start(Store, [projection]);
            await Eventually.IsTrueAsync(
                async () => await DaemonSql.HolderPidAsync(Database.DataSource, projection.Name) is not null,
                "the runner to take its lock"
            );
            await daemon.DisposeAsync();

            Assert.Null(await DaemonSql.HolderPidAsync(Database.DataSource, projection.Name));
        }
    }

    private async Task AppendNotesAsync(string text, int count)
    {
        for (var i = 0; i < count; i++)
            await Store.AppendAsync($"notes-{i % 4}", ExpectedVersion.Any, [new(new NoteAdded($"{text} {i}"))]);
    }

    /// <summary>Waits until all <paramref name="projections"/> are registered, held by a runner and caught up.</summary>
    private static Task WaitUntilCaughtUpAsync(ProjectionOperations operations, int projections) =>
        Eventually.IsTrueAsync(
            async () =>
                await operations.ListAsync() is var statuses
                && statuses.Count == projections
                && statuses.All(s => s.Holder is not null && s.LagEvents == 0),
            "every projection to be held and caught up"
        );

    private async Task AssertEachEventAppliedOnceAsync(IEnumerable<RecordingProjection> projections)
    {
        var committed = await DaemonSql.EventIdsInGlobalOrderAsync(Database.DataSource);
        foreach (var projection in projections)
            Assert.Equal(committed, await projection.AppliedAsync(Database.DataSource));
    }
}
