namespace RelationshipLedger.EventStore.Daemon;

/// <summary>
/// Who runs what: a projection is run by the session that holds the advisory lock
/// (<see cref="DaemonKey"/>, its checkpoint's <c>lock_key</c>). Sessions of runners name themselves
/// <see cref="SessionPrefix"/> + node in <c>application_name</c>, so <c>pg_locks</c> joined with
/// <c>pg_stat_activity</c> tells which node holds each projection.
/// </summary>
public static class ProjectionLocks
{
    /// <summary>The first key of every projection lock ("LDPR"); the second is the checkpoint's lock_key.</summary>
    public const int DaemonKey = 0x4C44_5052;

    public const string SessionPrefix = "ledger-daemon ";

    /// <summary>PostgreSQL keeps at most 63 bytes of an application name.</summary>
    private const int MaxApplicationName = 63;

    internal static string ApplicationName(string node)
    {
        var name = SessionPrefix + node;
        while (System.Text.Encoding.UTF8.GetByteCount(name) > MaxApplicationName)
            name = name[..^1];
        return name;
    }

    /// <summary>The node named by a session's application name, or the name itself when it is not a runner's.</summary>
    public static string NodeOf(string applicationName)
    {
        ArgumentNullException.ThrowIfNull(applicationName);
        return applicationName.StartsWith(SessionPrefix, StringComparison.Ordinal)
            ? applicationName[SessionPrefix.Length..]
            : applicationName;
    }
}
