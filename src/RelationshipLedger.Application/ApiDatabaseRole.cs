using Npgsql;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Application;

/// <summary>
/// The rights of the API's database role in a deployment with separate roles (docs/operations.md): it reads
/// and writes the read models, idempotency keys, checkpoints and digests, but may only INSERT and SELECT on
/// <c>ledger.events</c> (no UPDATE, DELETE or TRUNCATE) and only read <c>ledger.schema_migrations</c> and
/// <c>ledger.rebuildable_tables</c>; it owns nothing and has no DDL rights. It may execute the schema's
/// functions, among them the owner's that create, drop and swap in the shadow tables of a rebuild of the
/// tables listed in <c>ledger.rebuildable_tables</c> (docs/rebuilds.md). Granted by the schema's owner
/// after each migration, since new tables need their grants too; running it again is harmless.
/// </summary>
public static class ApiDatabaseRole
{
    /// <summary>The statements that give <paramref name="role"/> exactly the API's rights.</summary>
    public static string GrantSql(string role)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        var quoted = LedgerDatabase.QuoteIdentifier(role);
        return $"""
            grant usage on schema ledger to {quoted};
            grant select, insert, update, delete on all tables in schema ledger to {quoted};
            grant usage, select on all sequences in schema ledger to {quoted};
            grant execute on all functions in schema ledger to {quoted};
            revoke update, delete, truncate on ledger.events from {quoted};
            revoke insert, update, delete, truncate on ledger.schema_migrations from {quoted};
            revoke insert, update, delete, truncate on ledger.rebuildable_tables from {quoted};
            """;
    }

    /// <summary>Grants <paramref name="role"/> (which must exist) the API's rights on the migrated schema.</summary>
    public static async Task GrantAsync(
        NpgsqlDataSource dataSource,
        string role,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(GrantSql(role), connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
