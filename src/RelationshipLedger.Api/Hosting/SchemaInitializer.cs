using Npgsql;
using RelationshipLedger.Application;

namespace RelationshipLedger.Api.Hosting;

/// <summary>
/// Before the server listens: brings the ledger schema up to date (<c>Ledger:Schema</c> = <c>Migrate</c>, the
/// default), or only checks that it is (<c>Verify</c>: for a deployment whose API role has no DDL rights
/// and a migrator role that ran <c>ledger migrate</c> first; see docs/operations.md).
/// </summary>
internal sealed partial class SchemaInitializer(
    NpgsqlDataSource dataSource,
    IConfiguration configuration,
    ILogger<SchemaInitializer> logger
) : IHostedService
{
    public const string Setting = "Ledger:Schema";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var mode = configuration[Setting] is { Length: > 0 } configured ? configured : "Migrate";
        if (string.Equals(mode, "Verify", StringComparison.OrdinalIgnoreCase))
        {
            var missing = await LedgerSchema.MissingVersionsAsync(dataSource, cancellationToken);
            if (missing.Count > 0)
                throw new InvalidOperationException(
                    $"{Setting} is Verify and the database lacks schema versions {string.Join(", ", missing)}: "
                        + "run `ledger migrate` with the schema owner's role, then start the API again."
                );
            return;
        }
        if (!string.Equals(mode, "Migrate", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"{Setting} must be Migrate or Verify; it was '{mode}'.");
        var applied = await LedgerSchema.MigrateAsync(dataSource, cancellationToken);
        if (applied.Count > 0)
            LogApplied(logger, applied);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied ledger schema migrations {Versions}.")]
    private static partial void LogApplied(ILogger logger, IReadOnlyList<int> versions);
}
