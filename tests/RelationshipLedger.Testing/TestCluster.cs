using RelationshipLedger.LocalPostgres;

namespace RelationshipLedger.Testing;

/// <summary>
/// The test process's own PostgreSQL cluster: started on first use, in a temporary directory with
/// fsync off, stopped and removed when the process exits. Set LEDGER_TEST_CONNECTION to use an
/// existing server instead (its user must be allowed to create databases).
/// </summary>
public static class TestCluster
{
    private static readonly Lazy<Task<Func<string, string>>> Server = new(StartAsync);

    /// <summary>A connection string for <paramref name="database"/> on the test server.</summary>
    public static async Task<string> ConnectionStringForAsync(string database) => (await Server.Value)(database);

    private static async Task<Func<string, string>> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("LEDGER_TEST_CONNECTION") is { Length: > 0 } external)
            return database =>
                new Npgsql.NpgsqlConnectionStringBuilder(external) { Database = database }.ConnectionString;
        var cluster = await LocalCluster.StartAsync(LocalClusterOptions.Temporary());
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Discard();
        return cluster.ConnectionStringFor;
    }
}
