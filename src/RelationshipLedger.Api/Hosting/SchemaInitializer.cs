using Npgsql;
using RelationshipLedger.Application;

namespace RelationshipLedger.Api.Hosting;

/// <summary>Brings the ledger schema up to date before the server starts listening.</summary>
internal sealed partial class SchemaInitializer(NpgsqlDataSource dataSource, ILogger<SchemaInitializer> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = await LedgerSchema.MigrateAsync(dataSource, cancellationToken);
        if (applied.Count > 0)
            LogApplied(logger, applied);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied ledger schema migrations {Versions}.")]
    private static partial void LogApplied(ILogger logger, IReadOnlyList<int> versions);
}
