using Npgsql;
using RelationshipLedger.EventStore;
using RelationshipLedger.LocalPostgres;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>
/// Where the benchmark writes: a throwaway cluster of its own, or a scratch database created on the
/// server that <c>--connection</c> names and dropped afterwards, so that a benchmark never appends
/// its events to a real ledger (the log is append-only: they could never be removed).
/// </summary>
internal sealed class BenchTarget : IAsyncDisposable
{
    private readonly LocalCluster? _cluster;
    private readonly string? _scratchDatabase;
    private readonly string? _serverConnectionString;

    private BenchTarget(
        NpgsqlDataSource dataSource,
        string connectionString,
        string description,
        LocalCluster? cluster,
        string? scratchDatabase,
        string? serverConnectionString
    )
    {
        DataSource = dataSource;
        ConnectionString = connectionString;
        Description = description;
        _cluster = cluster;
        _scratchDatabase = scratchDatabase;
        _serverConnectionString = serverConnectionString;
    }

    /// <summary>The one data source the store and the raw baselines share: same pool, same auto-prepare.</summary>
    public NpgsqlDataSource DataSource { get; }

    public string Description { get; }

    /// <summary>With its password, for a child process on the same database (the data source's own hides it).</summary>
    public string ConnectionString { get; }

    public static async Task<BenchTarget> StartAsync(
        StoreBenchmarkSettings settings,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Connection is { } connection
            ? await CreateScratchDatabaseAsync(connection, cancellationToken)
            : await StartThrowawayClusterAsync(settings.Fsync, cancellationToken);
    }

    private static async Task<BenchTarget> StartThrowawayClusterAsync(bool fsync, CancellationToken cancellationToken)
    {
        var cluster = await LocalCluster.StartAsync(
            LocalClusterOptions.Temporary() with
            {
                Durable = fsync,
            },
            cancellationToken
        );
        try
        {
            var connectionString = cluster.ConnectionStringFor("ledger");
            await LedgerDatabase.EnsureDatabaseExistsAsync(connectionString, cancellationToken);
            const string description = "a throwaway cluster on this machine";
            return new(
                LedgerDatabase.CreateDataSource(connectionString),
                connectionString,
                description,
                cluster,
                null,
                null
            );
        }
        catch
        {
            cluster.Discard();
            throw;
        }
    }

    private static async Task<BenchTarget> CreateScratchDatabaseAsync(
        string connection,
        CancellationToken cancellationToken
    )
    {
        var builder = LedgerConnection.ParseConnectionString(connection, "--connection");
        var scratch = $"ledger_bench_{Guid.NewGuid():N}"[..26];
        builder.Database = scratch;
        await LedgerDatabase.EnsureDatabaseExistsAsync(builder.ConnectionString, cancellationToken);
        var description = $"a scratch database on {builder.Host}:{builder.Port}, dropped afterwards";
        return new(
            LedgerDatabase.CreateDataSource(builder.ConnectionString),
            builder.ConnectionString,
            description,
            null,
            scratch,
            builder.ConnectionString
        );
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        if (_cluster is not null)
            await _cluster.DisposeAsync();
        if (_scratchDatabase is not null && _serverConnectionString is not null)
            await DropScratchDatabaseAsync(_serverConnectionString, _scratchDatabase);
    }

    private static async Task DropScratchDatabaseAsync(string connectionString, string database)
    {
        var server = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand(
            $"drop database if exists {LedgerDatabase.QuoteIdentifier(database)} with (force)",
            connection
        );
        await drop.ExecuteNonQueryAsync();
    }
}
