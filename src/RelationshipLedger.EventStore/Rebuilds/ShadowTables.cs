using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.EventStore.Projections;

namespace RelationshipLedger.EventStore.Rebuilds;

/// <summary>
/// A projection's shadow tables during a rebuild: <c>ledger.&lt;table&gt;_rebuild</c>, created
/// <c>like</c> the live table <c>including all</c> (columns, defaults, checks, indexes), so the very
/// same <see cref="IAsyncProjection.ApplyAsync"/> writes them through a mapped context.
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

    /// <summary>Drops any shadow left over and creates empty ones from the live tables, in one transaction.</summary>
    public async Task RecreateAsync(NpgsqlConnection session, CancellationToken cancellationToken)
    {
        await using var transaction = await session.BeginTransactionAsync(cancellationToken);
        var sql = string.Join(
            "; ",
            projection.Tables.Select(t =>
                $"drop table if exists {Shadows[t]}; create table {Shadows[t]} (like {Live[t]} including all)"
            )
        );
        await using var command = new NpgsqlCommand(sql, session, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Drops the shadow tables (a failed rebuild leaves nothing behind).</summary>
    public async Task DropAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            string.Join("; ", Shadows.Values.Select(s => $"drop table if exists {s}")),
            connection
        );
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Inside the swap's transaction: drops each live table and renames its shadow to the live name,
    /// then gives the shadow's indexes (and so their constraints) the live indexes' names, matched by
    /// definition, so that later migrations find them where they were. Readers blocked on the live
    /// table meanwhile find the new one by name once the transaction commits; none sees it half built.
    /// </summary>
    public async Task SwapAsync(
        NpgsqlConnection session,
        NpgsqlTransaction transaction,
        CancellationToken cancellationToken
    )
    {
        var renames = new List<(string From, string To)>();
        foreach (var table in projection.Tables)
            renames.AddRange(await MatchIndexesAsync(session, transaction, table, cancellationToken));
        var statements = new List<string>();
        foreach (var table in projection.Tables)
        {
            statements.Add($"drop table {Live[table]}");
            statements.Add($"alter table {Shadows[table]} rename to {LedgerDatabase.QuoteIdentifier(table)}");
        }
        // Through names of their own first, in case one shadow index already bears a live index's name.
        for (var i = 0; i < renames.Count; i++)
            statements.Add(
                $"alter index {Qualified(renames[i].From)} rename to {LedgerDatabase.QuoteIdentifier(Interim(i))}"
            );
        for (var i = 0; i < renames.Count; i++)
            statements.Add(
                $"alter index {Qualified(Interim(i))} rename to {LedgerDatabase.QuoteIdentifier(renames[i].To)}"
            );
        await using var command = new NpgsqlCommand(string.Join("; ", statements), session, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Interim(int i) => $"ledger_rebuild_swap_{i}";

    private static string Qualified(string index) => ProjectionTables.QualifiedName(ProjectionTables.Schema, index);

    /// <summary>Each shadow index with the name of the live index of the same definition.</summary>
    private async Task<List<(string From, string To)>> MatchIndexesAsync(
        NpgsqlConnection session,
        NpgsqlTransaction transaction,
        string table,
        CancellationToken cancellationToken
    )
    {
        // pg_get_indexdef without the index's and the table's names: what the index is, not what it is called.
        await using var command = new NpgsqlCommand(
            """
            select c.relname, regexp_replace(pg_get_indexdef(i.indexrelid), '^CREATE (UNIQUE )?INDEX \S+ ON \S+ ', '\1'),
                   (i.indrelid = $1::regclass)
            from pg_index i join pg_class c on c.oid = i.indexrelid
            where i.indrelid in ($1::regclass, $2::regclass)
            order by c.relname
            """,
            session,
            transaction
        );
        command.Parameters.Add(new() { Value = Live[table], NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = Shadows[table], NpgsqlDbType = NpgsqlDbType.Text });
        var live = new List<(string Name, string Definition)>();
        var shadow = new List<(string Name, string Definition)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
                (reader.GetBoolean(2) ? live : shadow).Add((reader.GetString(0), reader.GetString(1)));
        var matches = new List<(string From, string To)>();
        foreach (var (name, definition) in live)
        {
            var match = shadow.FindIndex(s => s.Definition == definition);
            if (match < 0)
                continue;
            matches.Add((shadow[match].Name, name));
            shadow.RemoveAt(match);
        }
        return matches;
    }
}
