namespace RelationshipLedger.EventStore.Rebuilds;

/// <summary>
/// One rebuild per projection across all processes: the session that runs it holds
/// <c>pg_try_advisory_lock(<see cref="RebuildKey"/>, lock_key)</c> (the projection checkpoint's
/// <c>lock_key</c>, as the daemon's lock uses it under another first key), and writes every batch on
/// that same session, so a rebuild whose session ended can no longer write.
/// </summary>
public static class RebuildLocks
{
    /// <summary>The first key of every rebuild lock ("LDRB").</summary>
    public const int RebuildKey = 0x4C44_5242;

    public const string SessionPrefix = "ledger-rebuild ";

    /// <summary>True when a session holds the rebuild lock of the projection whose checkpoint has this lock_key.</summary>
    internal const string HeldSql = """
        exists (
            select 1 from pg_locks l
            where l.locktype = 'advisory' and l.granted and l.objsubid = 2
              and l.database = (select oid from pg_database where datname = current_database())
              and l.classid = 1279545922::oid and l.objid = c.lock_key::oid
        )
        """;

    internal static string ApplicationName(string node)
    {
        var name = SessionPrefix + node;
        while (System.Text.Encoding.UTF8.GetByteCount(name) > 63)
            name = name[..^1];
        return name;
    }
}
