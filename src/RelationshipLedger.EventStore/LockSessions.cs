using Npgsql;
using NpgsqlTypes;

namespace RelationshipLedger.EventStore;

/// <summary>
/// Sessions that hold a PostgreSQL session advisory lock (the daemon's runners, rebuilds, the churn
/// watch): opened outside the pool, so that ending one ends the session and with it the lock, also
/// when the process dies; and released explicitly before they end, because a closed session's server
/// process may linger a moment still holding the lock, and the next taker would find it taken.
/// </summary>
public static class LockSessions
{
    /// <summary>A new session of its own, named <paramref name="applicationName"/> in <c>pg_stat_activity</c>.</summary>
    /// <param name="options">PostgreSQL settings for the session (<c>-c name=value …</c>), or null.</param>
    public static async Task<NpgsqlConnection> OpenAsync(
        NpgsqlDataSource dataSource,
        string applicationName,
        string? options,
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
            ApplicationName = applicationName,
        };
        if (options is not null)
            settings.Options = $"{settings.Options} {options}".Trim();
        var session = template.CloneWith(settings.ConnectionString);
        try
        {
            await session.OpenAsync(cancellationToken);
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
        return session;
    }

    /// <summary>Whether <paramref name="session"/> now holds the lock (<paramref name="firstKey"/>, <paramref name="secondKey"/>).</summary>
    public static async Task<bool> TryLockAsync(
        NpgsqlConnection session,
        int firstKey,
        int secondKey,
        CancellationToken cancellationToken
    )
    {
        await using var command = new NpgsqlCommand("select pg_try_advisory_lock($1, $2)", session);
        AddKeys(command, firstKey, secondKey);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>Releases the lock if the session still works, then ends the session (which releases it anyway).</summary>
    public static async ValueTask ReleaseAndCloseAsync(NpgsqlConnection session, int firstKey, int secondKey)
    {
        ArgumentNullException.ThrowIfNull(session);
        try
        {
            if (session.FullState == System.Data.ConnectionState.Open)
            {
                await using var command = new NpgsqlCommand("select pg_advisory_unlock($1, $2)", session);
                AddKeys(command, firstKey, secondKey);
                await command.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
        catch (NpgsqlException)
        {
            // A broken session ends anyway, and the lock with it.
        }
        finally
        {
            await session.DisposeAsync();
        }
    }

    private static void AddKeys(NpgsqlCommand command, int firstKey, int secondKey)
    {
        command.Parameters.Add(new() { Value = firstKey, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new() { Value = secondKey, NpgsqlDbType = NpgsqlDbType.Integer });
    }
}
