using Npgsql;

namespace RelationshipLedger.LocalPostgres.Tests;

/// <summary>A cluster in a directory of its own that outlives its server: what <c>dotnet run</c> uses.</summary>
public sealed class PersistentClusterTests : IAsyncLifetime
{
    private LocalClusterOptions _options = null!;
    private LocalCluster? _owner;

    public Task InitializeAsync()
    {
        // Under /tmp, like temporary clusters: every parent must be traversable by the postgres account.
        var root = OperatingSystem.IsWindows() ? Path.GetTempPath() : "/tmp";
        _options = new LocalClusterOptions
        {
            DataDirectory = Path.Combine(root, $"relationship-ledger-persistent-test-{Guid.NewGuid():N}"),
            Durable = false,
        };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_owner is not null)
        {
            await _owner.StopAsync();
            if (!_owner.ClusterRoot.StartsWith(_options.DataDirectory, StringComparison.Ordinal))
                Directory.Delete(_owner.ClusterRoot, recursive: true);
        }
        if (Directory.Exists(_options.DataDirectory))
            Directory.Delete(_options.DataDirectory, recursive: true);
    }

    [Fact]
    public async Task A_persistent_cluster_keeps_its_data_across_stop_and_start()
    {
        _owner = await LocalCluster.StartAsync(_options);
        await ExecuteAsync(_owner, "create table kept (value text); insert into kept values ('still here')");
        await _owner.StopAsync();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ExecuteAsync(_owner, "select 1"));

        _owner = await LocalCluster.StartAsync(_options);

        Assert.False(_owner.AdoptedRunningServer);
        Assert.Equal("still here", await ExecuteAsync(_owner, "select value from kept"));
    }

    [Fact]
    public async Task Starting_a_cluster_that_is_already_running_adopts_its_server_on_the_same_port()
    {
        _owner = await LocalCluster.StartAsync(_options);
        await ExecuteAsync(_owner, "create table shared (value text); insert into shared values ('from the owner')");

        // The adopter leaves the server to its owner, which stops it when the test is done.
        var adopter = await LocalCluster.StartAsync(_options);

        Assert.False(_owner.AdoptedRunningServer);
        Assert.True(adopter.AdoptedRunningServer);
        Assert.Equal(_owner.Port, adopter.Port);
        Assert.Equal(_owner.ConnectionStringFor("postgres"), adopter.ConnectionStringFor("postgres"));
        Assert.Equal("from the owner", await ExecuteAsync(adopter, "select value from shared"));
    }

    /// <summary>Runs <paramref name="sql"/> on the cluster's <c>postgres</c> database, returning the first value if any.</summary>
    private static async Task<object?> ExecuteAsync(LocalCluster cluster, string sql)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(cluster.ConnectionStringFor("postgres"))
        {
            Pooling = false,
        };
        await using var connection = new NpgsqlConnection(connectionString.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
