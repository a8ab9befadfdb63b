using Npgsql;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Application.ChurnWatch;

/// <summary>
/// One churn watch at a time across every process on the database: a PostgreSQL session advisory
/// lock, taken the way the projection daemon takes its locks (docs/projections.md). The session is
/// not pooled, so disposing it ends the session and releases the lock; so does the death of the
/// process. The lock saves a second node the work; it is not what makes a flag once per episode
/// (the decider and the expected version do that).
/// </summary>
public sealed class ChurnWatchLock : IAsyncDisposable
{
    /// <summary>The lock's keys: "LDCW" and 1, apart from the daemon's "LDPR" keys.</summary>
    public const int FirstKey = 0x4C44_4357;
    public const int SecondKey = 1;

    /// <summary>The session's <c>application_name</c>, so <c>pg_stat_activity</c> shows who evaluates.</summary>
    public const string ApplicationName = "ledger-churn-watch";

    private readonly NpgsqlConnection _session;

    private ChurnWatchLock(NpgsqlConnection session) => _session = session;

    /// <summary>The lock on a session of its own, or null when another session holds it.</summary>
    public static async Task<ChurnWatchLock?> TryTakeAsync(
        NpgsqlDataSource dataSource,
        CancellationToken cancellationToken
    )
    {
        var session = await LockSessions.OpenAsync(dataSource, ApplicationName, null, cancellationToken);
        try
        {
            if (await LockSessions.TryLockAsync(session, FirstKey, SecondKey, cancellationToken))
                return new ChurnWatchLock(session);
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
        await session.DisposeAsync();
        return null;
    }

    /// <summary>Releases the lock, then ends the session (<see cref="LockSessions.ReleaseAndCloseAsync"/>).</summary>
    public ValueTask DisposeAsync() => LockSessions.ReleaseAndCloseAsync(_session, FirstKey, SecondKey);
}
