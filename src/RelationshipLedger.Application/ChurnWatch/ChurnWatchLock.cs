using Npgsql;
using NpgsqlTypes;

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
        ArgumentNullException.ThrowIfNull(dataSource);
        // CloneWith keeps the data source's password, which its connection string no longer shows.
        await using var template = dataSource.CreateConnection();
        var settings = new NpgsqlConnectionStringBuilder(template.ConnectionString)
        {
            Pooling = false,
            Multiplexing = false,
            ApplicationName = ApplicationName,
        };
        var session = template.CloneWith(settings.ConnectionString);
        try
        {
            await session.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("select pg_try_advisory_lock($1, $2)", session);
            command.Parameters.Add(new() { Value = FirstKey, NpgsqlDbType = NpgsqlDbType.Integer });
            command.Parameters.Add(new() { Value = SecondKey, NpgsqlDbType = NpgsqlDbType.Integer });
            if (await command.ExecuteScalarAsync(cancellationToken) is true)
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

    /// <summary>
    /// Releases the lock, then ends the session. Unlocking first makes the release visible at once: a
    /// closed connection's server process may linger a moment, still holding the lock, and the next run
    /// would find it taken (as rebuilds do, docs/rebuilds.md).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_session.FullState == System.Data.ConnectionState.Open)
            {
                await using var unlock = new NpgsqlCommand("select pg_advisory_unlock($1, $2)", _session);
                unlock.Parameters.Add(new() { Value = FirstKey, NpgsqlDbType = NpgsqlDbType.Integer });
                unlock.Parameters.Add(new() { Value = SecondKey, NpgsqlDbType = NpgsqlDbType.Integer });
                await unlock.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
        catch (NpgsqlException)
        {
            // A broken session ends anyway, and the lock with it.
        }
        finally
        {
            await _session.DisposeAsync();
        }
    }
}
