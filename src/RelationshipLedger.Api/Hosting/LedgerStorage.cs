using Npgsql;
using RelationshipLedger.Api.ChurnWatch;
using RelationshipLedger.Application;
using RelationshipLedger.Application.Abc;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Customers.Caching;
using RelationshipLedger.Application.Idempotency;
using RelationshipLedger.Application.Import;
using RelationshipLedger.Application.SatisfactionHistory;
using RelationshipLedger.Application.StateHistory;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Digests;
using RelationshipLedger.EventStore.Integrity;
using RelationshipLedger.LocalPostgres;

namespace RelationshipLedger.Api.Hosting;

/// <summary>Where the ledger's database is: the one configured, or the embedded default cluster.</summary>
public sealed record LedgerDatabaseInfo(string ConnectionString, LocalCluster? EmbeddedCluster)
{
    public bool IsEmbedded => EmbeddedCluster is not null;
}

/// <summary>
/// Wires the ledger's storage into the host: uses <c>ConnectionStrings:Ledger</c> when set, otherwise
/// starts (or adopts) the embedded cluster in <c>LEDGER_DATA_DIR</c> (default <c>.ledger/</c> under
/// the working directory), creates the database, and applies the schema before the server listens.
/// </summary>
public static class LedgerStorage
{
    public const string ConnectionStringName = "Ledger";
    public const string DataDirectorySetting = "LEDGER_DATA_DIR";
    public const string EmbeddedDatabaseName = "ledger";

    public static async Task AddLedgerStorageAsync(
        this WebApplicationBuilder builder,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(builder);
        var database = await ResolveDatabaseAsync(builder.Configuration, cancellationToken);
        builder.Services.AddSingleton(database);
        if (database.EmbeddedCluster is not null)
            builder.Services.AddHostedService<EmbeddedClusterLifetime>();
        builder.Services.AddSingleton(_ =>
            LedgerDatabase.CreateDataSource(DatabaseConnectTimeout.Apply(database.ConnectionString))
        );
        builder.Services.AddHostedService<SchemaInitializer>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(LifecycleRules.Default);
        var stateCache = StateCacheSettings.From(builder.Configuration);
        builder.Services.AddSingleton(_ => new CustomerStateCache(stateCache.Customers, stateCache.Events));
        builder.Services.AddSingleton(services =>
            LedgerServices.CreateStore(
                services.GetRequiredService<NpgsqlDataSource>(),
                services.GetRequiredService<LifecycleRules>(),
                services.GetRequiredService<CustomerStateCache>()
            )
        );
        builder.Services.AddSingleton<ChainVerifier>();
        builder.Services.AddSingleton<LedgerDigests>();
        builder.Services.AddSingleton<DigestComparison>();
        builder.Services.AddSingleton<CustomerStateLoader>();
        builder.Services.AddSingleton<CustomerCommandHandler>();
        builder.Services.AddSingleton<CustomerQueries>();
        builder.Services.AddSingleton<CustomerTimeline>();
        builder.Services.AddSingleton<CorrectionReport>();
        builder.Services.AddSingleton<IdempotencyKeys>();
        builder.Services.AddSingleton<CustomerImporter>();
        builder.Services.AddSingleton<SatisfactionHistoryQueries>();
        builder.Services.AddSingleton<AbcRevenueMirror>();
        builder.Services.AddSingleton<AbcPortfolioQueries>();
        builder.Services.AddSingleton<PortfolioQueries>();
        // After the schema initializer: hosted services start in order, so the daemon finds its tables.
        builder.AddProjectionDaemon();
        builder.AddChurnWatch();
    }

    private static async Task<LedgerDatabaseInfo> ResolveDatabaseAsync(
        ConfigurationManager configuration,
        CancellationToken cancellationToken
    )
    {
        if (configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } configured)
            return new LedgerDatabaseInfo(configured, EmbeddedCluster: null);

        var dataDirectory = configuration[DataDirectorySetting] is { Length: > 0 } setting ? setting : ".ledger";
        var cluster = await LocalCluster.StartAsync(
            new LocalClusterOptions { DataDirectory = dataDirectory },
            cancellationToken
        );
        var connectionString = cluster.ConnectionStringFor(EmbeddedDatabaseName);
        await LedgerDatabase.EnsureDatabaseExistsAsync(connectionString, cancellationToken);
        return new LedgerDatabaseInfo(connectionString, cluster);
    }
}
