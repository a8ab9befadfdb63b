using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.EventStore.Projections;

namespace RelationshipLedger.EventStore.Rebuilds;

/// <summary>
/// A projection's shadow tables during a rebuild: <c>ledger.&lt;table&gt;_rebuild</c>, created
/// <c>like</c> the live table <c>including all</c> (columns, defaults, checks, indexes) and with its
/// grants, so the very same <see cref="IAsyncProjection.ApplyAsync"/> writes them through a mapped context.
/// Creating, dropping and swapping them in are the schema owner's functions (migrations 0010 and
/// 0011), which also serve a role that owns nothing, such as the API's, for the tables listed as
/// rebuildable. The indexes the projection names in <see cref="IAsyncProjection.IndexesBuiltAfterBulk"/>
/// are left out when the shadows are created, and built by <see cref="BuildIndexesAsync"/>.
/// </summary>
internal sealed class ShadowTables(IAsyncProjection projection)
{
    public const string Suffix = "_rebuild";

    public IReadOnlyDictionary<string, string> Live { get; } = ProjectionTables.Live(projection);

    public IReadOnlyDictionary<string, string> Shadows { get; } =
        ProjectionTables.Map(projection, t => ProjectionTables.QualifiedName(ProjectionTables.Schema, t + Suffix));

    /// <summary>Whether every shadow table exists (a rebuild can resume only onto all of them).</summary>
    public async Task<bool> AllExistAsync(NpgsqlConnection session, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "select count(*) from unnest($1::text[]) t where to_regclass(t) is not null",
            session
        );
        command.Parameters.Add(
            new() { Value = Shadows.Values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text }
        );
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! == Shadows.Count;
    }

    /// <summary>
    /// Drops any shadow left over and creates empty ones from the live tables, without the indexes to
    /// build after the bulk, in one transaction.
    /// </summary>
    public async Task RecreateAsync(NpgsqlConnection session, CancellationToken cancellationToken)
    {
        await using var transaction = await session.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "select ledger.rebuild_create_shadows($1, $2)",
            session,
            transaction
        );
        command.Parameters.Add(TableNames());
        command.Parameters.Add(
            new()
            {
                Value = projection.IndexesBuiltAfterBulk.ToArray(),
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
            }
        );
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Builds on the shadows every index of the live tables they lack (those left out until the bulk was
    /// done) and analyzes them, so that they are swapped in with statistics. Nothing to build on a resumed
    /// rebuild that had built them: then it only analyzes.
    /// </summary>
    public Task BuildIndexesAsync(NpgsqlConnection session, CancellationToken cancellationToken) =>
        CallAsync("ledger.rebuild_build_indexes", session, transaction: null, cancellationToken);

    /// <summary>Drops the shadow tables (a failed rebuild leaves nothing behind).</summary>
    public Task DropAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        CallAsync("ledger.rebuild_drop_shadows", connection, transaction: null, cancellationToken);

    /// <summary>
    /// Inside the swap's transaction: drops each live table and renames its shadow to the live name,
    /// then gives the shadow's indexes (and so their constraints) the live indexes' names, matched by
    /// definition, so that later migrations find them where they were. Readers blocked on the live
    /// table meanwhile find the new one by name once the transaction commits; none sees it half built.
    /// </summary>
    public Task SwapAsync(
        NpgsqlConnection session,
        NpgsqlTransaction transaction,
        CancellationToken cancellationToken
    ) => CallAsync("ledger.rebuild_swap_shadows", session, transaction, cancellationToken);

    /// <summary>One of the owner's functions over the projection's (unqualified) table names.</summary>
    private async Task CallAsync(
        string function,
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        CancellationToken cancellationToken
    )
    {
        await using var command = new NpgsqlCommand($"select {function}($1)", connection, transaction);
        command.Parameters.Add(TableNames());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private NpgsqlParameter TableNames() =>
        new() { Value = projection.Tables.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
}
