using Npgsql;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>
/// The ledger schema plus <c>bench.raw_events</c>: the event log's columns, defaults, identity and
/// indexes, without its append-only triggers, for the raw baselines to write to.
/// </summary>
internal static class BenchSchema
{
    public static async Task CreateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await SchemaMigrator.MigrateAsync(dataSource, cancellationToken);
        await ExecuteAsync(
            dataSource,
            """
            create schema bench;
            create table bench.raw_events (like ledger.events including defaults including identity including indexes);
            """,
            cancellationToken
        );
    }

    /// <summary>Sets hint bits and statistics once for both readers, as autovacuum would have in a running system.</summary>
    public static Task VacuumLogAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        ExecuteAsync(dataSource, "vacuum (analyze) ledger.events", cancellationToken);

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
