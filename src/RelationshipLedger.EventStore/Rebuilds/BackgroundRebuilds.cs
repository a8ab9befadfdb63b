using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RelationshipLedger.EventStore.Projections;

namespace RelationshipLedger.EventStore.Rebuilds;

/// <summary>What asking for a rebuild led to.</summary>
public enum RebuildStartOutcome
{
    /// <summary>Started, or resumed an interrupted rebuild; it runs in the background of this process.</summary>
    Started,

    /// <summary>This process knows no projection of that name.</summary>
    UnknownProjection,

    /// <summary>A session (here or in another process) is rebuilding it already.</summary>
    AlreadyRunning,
}

public sealed record RebuildStart(RebuildStartOutcome Outcome, long? Id = null, bool Resumed = false);

/// <summary>
/// Rebuilds run in the background of the process that accepted them (the API's admin route): each
/// holds its lock until it swaps in, fails, or this process stops — then it is cancelled, its open
/// batch rolls back, and it stays resumable from its checkpoint by the next request to rebuild it.
/// </summary>
public sealed partial class BackgroundRebuilds : IAsyncDisposable
{
    private readonly Dictionary<string, IAsyncProjection> _projections;
    private readonly ProjectionRebuilder _rebuilder;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, Task> _running = new();
    private int _disposed;

    public BackgroundRebuilds(
        EventStore store,
        IEnumerable<IAsyncProjection> projections,
        RebuildOptions? options = null,
        ILoggerFactory? loggerFactory = null
    )
    {
        ArgumentNullException.ThrowIfNull(projections);
        _projections = projections.ToDictionary(p => p.Name, StringComparer.Ordinal);
        _rebuilder = new ProjectionRebuilder(store, options);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<BackgroundRebuilds>();
    }

    /// <summary>The projections this process can rebuild, by name.</summary>
    public IReadOnlyCollection<string> Names => _projections.Keys;

    /// <summary>The projection of that name this process can rebuild, or null.</summary>
    public IAsyncProjection? Find(string name) => _projections.GetValueOrDefault(name);

    /// <summary>Takes the projection's rebuild lock and runs (or resumes) its rebuild in the background.</summary>
    public async Task<RebuildStart> StartAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!_projections.TryGetValue(name, out var projection))
            return new RebuildStart(RebuildStartOutcome.UnknownProjection);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        var rebuild = await _rebuilder.TryStartAsync(projection, cancellationToken);
        if (rebuild is null)
            return new RebuildStart(RebuildStartOutcome.AlreadyRunning);
        LogStarted(_logger, rebuild.Id, name, rebuild.Resumed, rebuild.ResumedFrom);
        _running[rebuild.Id] = Task.Run(() => RunAsync(rebuild), CancellationToken.None);
        return new RebuildStart(RebuildStartOutcome.Started, rebuild.Id, rebuild.Resumed);
    }

    /// <summary>Cancels every rebuild running here and waits until each has let go of its lock.</summary>
    public async ValueTask DisposeAsync()
    {
        // The host stops it, then its container disposes it: only the first call cancels.
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
            await _stopping.CancelAsync();
        await Task.WhenAll(_running.Values);
    }

    private async Task RunAsync(ProjectionRebuild rebuild)
    {
        await using (rebuild)
        {
            try
            {
                var result = await rebuild.RunAsync(cancellationToken: _stopping.Token);
                LogCompleted(
                    _logger,
                    result.Id,
                    result.Projection,
                    result.EventsDone,
                    result.Position,
                    result.Hashes.Shadow.Hash,
                    result.Hashes.MatchesLive
                );
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                LogInterrupted(_logger, rebuild.Id, rebuild.Projection);
            }
#pragma warning disable CA1031 // A background rebuild's failure is recorded in its row and logged; the process goes on.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogFailed(_logger, rebuild.Id, rebuild.Projection, exception);
            }
        }
        _running.TryRemove(rebuild.Id, out _);
    }

    [LoggerMessage(
        Level = LogLevel.Information,
        Message = "Rebuild {Id} of {Projection} started (resumed: {Resumed}, from {From})."
    )]
    private static partial void LogStarted(
        ILogger logger,
        long id,
        string projection,
        bool resumed,
        GlobalPosition from
    );

    [LoggerMessage(
        Level = LogLevel.Information,
        Message = "Rebuild {Id} of {Projection} swapped in: {Events} events, live at {Position}, content hash {Hash} (matches the old live model: {Matches})."
    )]
    private static partial void LogCompleted(
        ILogger logger,
        long id,
        string projection,
        long events,
        GlobalPosition position,
        string hash,
        bool? matches
    );

    [LoggerMessage(
        Level = LogLevel.Information,
        Message = "Rebuild {Id} of {Projection} interrupted by shutdown; it resumes from its checkpoint when started again."
    )]
    private static partial void LogInterrupted(ILogger logger, long id, string projection);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rebuild {Id} of {Projection} stopped on an error.")]
    private static partial void LogFailed(ILogger logger, long id, string projection, Exception exception);
}
