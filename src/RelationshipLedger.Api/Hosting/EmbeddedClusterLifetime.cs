namespace RelationshipLedger.Api.Hosting;

/// <summary>
/// Announces the embedded cluster at start and stops it when the host stops (after the server has
/// drained, since hosted services stop in reverse order of registration and this one is first).
/// </summary>
internal sealed partial class EmbeddedClusterLifetime(
    LedgerDatabaseInfo database,
    ILogger<EmbeddedClusterLifetime> logger
) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var cluster = database.EmbeddedCluster!;
        LogEmbeddedCluster(
            logger,
            cluster.ClusterRoot,
            cluster.Port,
            cluster.AdoptedRunningServer ? "adopted a running server" : "started"
        );
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await database.EmbeddedCluster!.StopAsync(cancellationToken);
        LogEmbeddedClusterStopped(logger);
    }

    [LoggerMessage(
        Level = LogLevel.Information,
        Message = "Embedded PostgreSQL in {ClusterRoot} on 127.0.0.1:{Port} ({How}). Set ConnectionStrings__Ledger to use another server."
    )]
    private static partial void LogEmbeddedCluster(ILogger logger, string clusterRoot, int port, string how);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded PostgreSQL stopped.")]
    private static partial void LogEmbeddedClusterStopped(ILogger logger);
}
