using Npgsql;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Application;

/// <summary>The whole ledger schema: the event store's scripts, then the read models' (numbered from 1001).</summary>
public static class LedgerSchema
{
    public static IReadOnlyList<Migration> ReadModelMigrations { get; } =
        SchemaMigrator.LoadEmbedded(typeof(LedgerSchema).Assembly);

    public static Task<IReadOnlyList<int>> MigrateAsync(
        NpgsqlDataSource dataSource,
        CancellationToken cancellationToken = default
    ) => SchemaMigrator.MigrateAsync(dataSource, ReadModelMigrations, cancellationToken);
}
