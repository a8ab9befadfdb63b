using Npgsql;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Testing;

/// <summary>
/// A database of its own for one test class, cloned from a template that has the ledger schema
/// (or empty, for tests of the migrations themselves). Dropped when the class's tests are done.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private const string TemplateName = "ledger_template";
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static bool _templateReady;

    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
        DataSource = LedgerDatabase.CreateDataSource(connectionString);
    }

    public string Name { get; }

    /// <summary>Connects as the cluster's superuser, which may also disable triggers to play the tamperer.</summary>
    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>A new database with the ledger schema applied.</summary>
    public static Task<TestDatabase> CreateAsync() => CreateAsync(migrated: true);

    /// <summary>A new database, with the ledger schema or completely empty.</summary>
    public static async Task<TestDatabase> CreateAsync(bool migrated)
    {
        var name = $"test_{Guid.NewGuid():N}";
        string template;
        if (migrated)
        {
            await EnsureTemplateAsync();
            template = TemplateName;
        }
        else
            template = "template0";
        await ExecuteOnServerAsync($"create database {name} template {template}");
        return new TestDatabase(name, await TestCluster.ConnectionStringForAsync(name));
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"drop database if exists {Name} with (force)");
    }

    /// <summary>Runs <paramref name="sql"/> in this database as superuser with triggers off, as an attacker with full access would.</summary>
    /// <summary>
    /// Waits until every event appended so far is readable in the gap-free order: transactions are numbered
    /// across the whole cluster, so another test's open transaction holds readers (and digests) back for a while.
    /// </summary>
    public Task WaitUntilLogReadableAsync() =>
        Eventually.IsTrueAsync(
            async () =>
            {
                await using var command = DataSource.CreateCommand(
                    "select not exists (select 1 from ledger.events where tx_id >= pg_snapshot_xmin(pg_current_snapshot()))"
                );
                return (bool)(await command.ExecuteScalarAsync())!;
            },
            "every appended event to be readable in the global order"
        );

    public async Task TamperAsync(string sql)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (
            var disable = new NpgsqlCommand("set local session_replication_role = replica", connection, transaction)
        )
            await disable.ExecuteNonQueryAsync();
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
            await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    private static async Task EnsureTemplateAsync()
    {
        await TemplateLock.WaitAsync();
        try
        {
            if (_templateReady)
                return;
            await ExecuteOnServerAsync($"drop database if exists {TemplateName} with (force)");
            await ExecuteOnServerAsync($"create database {TemplateName} template template0");
            var builder = new NpgsqlConnectionStringBuilder(await TestCluster.ConnectionStringForAsync(TemplateName))
            {
                Pooling = false,
            };
            await using (var dataSource = NpgsqlDataSource.Create(builder))
                await SchemaMigrator.MigrateAsync(dataSource);
            _templateReady = true;
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    private static async Task ExecuteOnServerAsync(string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(await TestCluster.ConnectionStringForAsync("postgres"))
        {
            Pooling = false,
        };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
