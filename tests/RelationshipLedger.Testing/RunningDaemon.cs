using Npgsql;
using RelationshipLedger.EventStore.Daemon;
using RelationshipLedger.EventStore.Projections;

namespace RelationshipLedger.Testing;

/// <summary>A projection daemon running in the test process until disposed.</summary>
public sealed class RunningDaemon : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private RunningDaemon(ProjectionDaemon daemon)
    {
        Daemon = daemon;
        _running = daemon.RunAsync(_stop.Token);
    }

    /// <summary>Quick to poll, retry and take over, so tests wait for conditions, not for intervals.</summary>
    public static ProjectionDaemonOptions FastOptions(string node) =>
        new()
        {
            NodeName = node,
            PollInterval = TimeSpan.FromMilliseconds(100),
            StandbyRetryInterval = TimeSpan.FromMilliseconds(50),
            RetryBaseDelay = TimeSpan.FromMilliseconds(2),
            MaxRetryDelay = TimeSpan.FromMilliseconds(50),
            MaxAttempts = 3,
        };

    public ProjectionDaemon Daemon { get; }

    public static RunningDaemon Start(
        EventStore.EventStore store,
        IEnumerable<IAsyncProjection> projections,
        ProjectionDaemonOptions? options = null
    ) => new(new ProjectionDaemon(store, projections, options ?? FastOptions($"test-{Guid.NewGuid():N}"[..13])));

    /// <summary>Waits until <paramref name="projection"/> runs and has applied every event of its types in the log.</summary>
    public static Task CaughtUpAsync(NpgsqlDataSource dataSource, string projection)
    {
        var operations = new ProjectionOperations(dataSource);
        return Eventually.IsTrueAsync(
            async () =>
                await operations.GetAsync(projection) is { LagEvents: 0 } status
                && status.State == ProjectionState.Running,
            $"the daemon to apply every event to {projection}"
        );
    }

    public ProjectionRole RoleOf(string projection) => Daemon.Runners.Single(r => r.Name == projection).Role;

    /// <summary>Stops the daemon and waits until every runner has let go of its session.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _stop.Dispose();
    }
}
