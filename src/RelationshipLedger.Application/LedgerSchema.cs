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

    /// <summary>
    /// The versions this build needs that the database has not applied (empty when it is current), read
    /// without DDL, so that a role with no right to change the schema can check it.
    /// </summary>
    public static async Task<IReadOnlyList<int>> MissingVersionsAsync(
        NpgsqlDataSource dataSource,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var needed = SchemaMigrator.Migrations.Concat(ReadModelMigrations).Select(m => m.Version).Order().ToArray();
        if (await SchemaMigrator.CurrentVersionAsync(dataSource, cancellationToken) is null)
            return needed;
        await using var command = dataSource.CreateCommand("select version from ledger.schema_migrations");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var applied = new HashSet<int>();
        while (await reader.ReadAsync(cancellationToken))
            applied.Add(reader.GetInt32(0));
        return [.. needed.Where(version => !applied.Contains(version))];
    }
}
