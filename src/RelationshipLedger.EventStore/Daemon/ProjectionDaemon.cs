using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RelationshipLedger.EventStore.Projections;

namespace RelationshipLedger.EventStore.Daemon;

/// <summary>
/// The projection daemon: one runner per asynchronous projection. Start it in every process that
/// may run projections (the API, <c>ledger daemon</c>); for each projection exactly one runner
/// across all of them holds its lock and applies events, the others stand by and take over when its
/// session ends. See docs/projections.md.
/// </summary>
public sealed class ProjectionDaemon
{
    private readonly ProjectionRunner[] _runners;
    private readonly ProjectionDaemonOptions _options;
    private readonly ILogger _logger;
    private readonly string _names;
    private int _running;

    public ProjectionDaemon(
        EventStore store,
        IEnumerable<IAsyncProjection> projections,
        ProjectionDaemonOptions? options = null,
        ILoggerFactory? loggerFactory = null
    )
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(projections);
        _options = options ?? new ProjectionDaemonOptions();
        _options.Validate();
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<ProjectionDaemon>();
        var all = projections.ToArray();
        foreach (var projection in all)
            ProjectionTables.Validate(projection);
        if (all.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"Two projections are named '{twice.Key}'.", nameof(projections));
        var runnerLogger = loggerFactory.CreateLogger<ProjectionRunner>();
        Projections = all;
        _runners = [.. all.Select(p => new ProjectionRunner(p, store, _options, runnerLogger))];
        _names = string.Join(", ", all.Select(p => p.Name));
    }

    public string NodeName => _options.NodeName;

    /// <summary>The projections this daemon runs (whether or not this process holds their locks).</summary>
    public IReadOnlyList<IAsyncProjection> Projections { get; }

    /// <summary>Whether <see cref="RunAsync"/> is running.</summary>
    public bool IsRunning => Volatile.Read(ref _running) == 1;

    /// <summary>What this process's runner of each projection is doing.</summary>
    public IReadOnlyList<ProjectionRunnerStatus> Runners =>
        [.. _runners.Select(r => new ProjectionRunnerStatus(r.Name, r.Role))];

    /// <summary>Runs every projection until <paramref name="cancellationToken"/> is cancelled, then returns.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
            throw new InvalidOperationException("The projection daemon is already running.");
        try
        {
            // The caller (a hosted service's start) goes on at once; the runners work in the background.
            await Task.Yield();
            DaemonLog.Starting(_logger, NodeName, _runners.Length, _names);
            await Task.WhenAll(_runners.Select(r => r.RunAsync(cancellationToken)));
            DaemonLog.Stopped(_logger, NodeName);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }
}
