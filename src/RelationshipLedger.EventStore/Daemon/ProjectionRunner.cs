using Microsoft.Extensions.Logging;
using Npgsql;
using RelationshipLedger.EventStore.Projections;

namespace RelationshipLedger.EventStore.Daemon;

/// <summary>
/// Runs one projection in this process: takes its lock when no other session holds it (else stands
/// by and tries again), then catches up with the log and follows it until stopped, the projection
/// paused, or the session lost. Exactly one runner across all processes holds a projection's lock,
/// and its batches are written on that same session, so a runner that lost its lock cannot write.
/// </summary>
internal sealed partial class ProjectionRunner
{
    private readonly IAsyncProjection _projection;
    private readonly NpgsqlDataSource _dataSource;
    private readonly SafeLogReader _log;
    private readonly ProjectionDaemonOptions _options;
    private readonly ILogger _logger;
    private readonly IReadOnlyDictionary<string, string> _tables;
    private readonly FailureTracker _failures;
    private int _role = (int)ProjectionRole.Stopped;
    private int? _lockKey;

    public ProjectionRunner(
        IAsyncProjection projection,
        EventStore store,
        ProjectionDaemonOptions options,
        ILogger logger
    )
    {
        _projection = projection;
        _dataSource = store.DataSource;
        _log = new SafeLogReader(store);
        _options = options;
        _logger = logger;
        _tables = ProjectionTables.Live(projection);
        _failures = new FailureTracker(options);
    }

    public string Name => _projection.Name;

    public ProjectionRole Role
    {
        get => (ProjectionRole)Volatile.Read(ref _role);
        private set => Volatile.Write(ref _role, (int)value);
    }

    /// <summary>Runs until <paramref name="stop"/> is cancelled; never throws anything else.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var failuresInARow = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                _lockKey ??= await Checkpoints.RegisterAsync(_dataSource, Name, _projection.EventTypes, stop);
                var session = await TryTakeLockAsync(_lockKey.Value, stop);
                if (session is null)
                {
                    Role = ProjectionRole.Standby;
                    DaemonLog.StandingBy(_logger, Name);
                    await Task.Delay(_options.StandbyRetryInterval, stop);
                    continue;
                }
                try
                {
                    failuresInARow = 0;
                    Role = ProjectionRole.Active;
                    await LeadAsync(session, stop);
                }
                finally
                {
                    // Unlocked before the session ends: a closed session's server process may hold it a moment longer.
                    await LockSessions.ReleaseAndCloseAsync(session, ProjectionLocks.DaemonKey, _lockKey.Value);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // The runner outlives any failure: it gives the session up and takes the lock again later.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Role = ProjectionRole.Standby;
                failuresInARow++;
                var delay = TimeSpan.FromTicks(
                    Math.Min(
                        _options.RetryBaseDelay.Ticks * (1L << Math.Min(failuresInARow - 1, 20)),
                        _options.MaxRetryDelay.Ticks
                    )
                );
                DaemonLog.SessionLost(_logger, Name, delay, exception);
                try
                {
                    await Task.Delay(delay, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        Role = ProjectionRole.Stopped;
    }
}
