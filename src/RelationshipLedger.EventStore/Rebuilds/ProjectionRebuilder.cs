using RelationshipLedger.EventStore.Daemon;
using RelationshipLedger.EventStore.Projections;

namespace RelationshipLedger.EventStore.Rebuilds;

/// <summary>
/// Starts blue/green rebuilds of asynchronous projections (docs/rebuilds.md): takes the projection's
/// rebuild lock on a session of its own, then resumes its unfinished rebuild from that rebuild's
/// checkpoint, or starts one with fresh shadow tables. Any <see cref="IAsyncProjection"/> can be
/// rebuilt: the rebuild replays the log into its shadow tables with its own <c>ApplyAsync</c>.
/// </summary>
public sealed class ProjectionRebuilder
{
    private readonly EventStore _store;
    private readonly RebuildOptions _options;

    public ProjectionRebuilder(EventStore store, RebuildOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _options = options ?? new RebuildOptions();
        _options.Validate();
    }

    /// <summary>
    /// The rebuild of <paramref name="projection"/>, ready to run and holding its lock until disposed;
    /// null when another session (in this process or another) is rebuilding it.
    /// </summary>
    public async Task<ProjectionRebuild?> TryStartAsync(
        IAsyncProjection projection,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(projection);
        ProjectionTables.Validate(projection);
        var lockKey = await Checkpoints.RegisterAsync(
            _store.DataSource,
            projection.Name,
            projection.EventTypes,
            cancellationToken
        );
        var session = await LockSessions.OpenAsync(
            _store.DataSource,
            RebuildLocks.ApplicationName(_options.NodeName),
            null,
            cancellationToken
        );
        try
        {
            if (!await LockSessions.TryLockAsync(session, RebuildLocks.RebuildKey, lockKey, cancellationToken))
            {
                await session.DisposeAsync();
                return null;
            }
            var shadows = new ShadowTables(projection);
            var unfinished = await RebuildRecords.FindUnfinishedAsync(session, projection.Name, cancellationToken);
            // A rebuild resumes only onto every shadow table it filled; otherwise it starts again.
            var resumed = unfinished is not null && await shadows.AllExistAsync(session, cancellationToken);
            var row = unfinished ?? await RebuildRecords.InsertAsync(session, projection.Name, cancellationToken);
            if (!resumed)
            {
                await shadows.RecreateAsync(session, cancellationToken);
                row = row with { Position = GlobalPosition.Start, EventsDone = 0 };
            }
            await RebuildRecords.BeginRunAsync(session, row.Id, _options.NodeName, !resumed, cancellationToken);
            return new ProjectionRebuild(projection, _store, _options, session, shadows, lockKey, row, resumed);
        }
        catch
        {
            await LockSessions.ReleaseAndCloseAsync(session, RebuildLocks.RebuildKey, lockKey);
            throw;
        }
    }
}
