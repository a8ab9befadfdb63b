using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace RelationshipLedger.EventStore;

/// <summary>A numbered schema script embedded in this assembly (<c>Schema/NNNN_name.sql</c>).</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));
}

/// <summary>
/// Brings schema <c>ledger</c> up to date: applies the embedded scripts not yet recorded in
/// <c>ledger.schema_migrations</c>, in order, in one transaction, under an advisory lock so that
/// processes starting together apply each script exactly once. Running it again is a no-op.
/// </summary>
public static partial class SchemaMigrator
{
    // An arbitrary constant that names "the ledger's schema migration" among advisory locks.
    private const long MigrationLockKey = 0x4C45_4447_4552_0001;

    /// <summary>The event store's own scripts, numbered from 0001.</summary>
    public static IReadOnlyList<Migration> Migrations { get; } = LoadEmbedded(typeof(SchemaMigrator).Assembly);

    /// <summary>Applies the event store's scripts; the versions applied by this call (empty when already current).</summary>
    public static Task<IReadOnlyList<int>> MigrateAsync(
        NpgsqlDataSource dataSource,
        CancellationToken cancellationToken = default
    ) => MigrateAsync(dataSource, [], cancellationToken);

    /// <summary>
    /// Applies the event store's scripts and <paramref name="additional"/> ones (read models of the
    /// application, numbered in a range of their own, e.g. from 1001), all in version order.
    /// </summary>
    public static async Task<IReadOnlyList<int>> MigrateAsync(
        NpgsqlDataSource dataSource,
        IEnumerable<Migration> additional,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var migrations = Migrations.Concat(additional).OrderBy(m => m.Version).ToArray();
        if (migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1) is { } clash)
            throw new InvalidOperationException(
                $"Two schema scripts have version {clash.Key}: {string.Join(", ", clash.Select(m => m.Name))}."
            );
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"select pg_advisory_xact_lock({MigrationLockKey})", cancellationToken);
        await ExecuteAsync(
            connection,
            """
            create schema if not exists ledger;
            create table if not exists ledger.schema_migrations (
                version    int         primary key,
                name       text        not null,
                checksum   text        not null,
                applied_at timestamptz not null default now()
            );
            """,
            cancellationToken
        );
        var applied = await AppliedChecksumsAsync(connection, cancellationToken);
        var newlyApplied = new List<int>();
        foreach (var migration in migrations)
        {
            if (applied.TryGetValue(migration.Version, out var checksum))
            {
                if (checksum != migration.Checksum)
                    throw new InvalidOperationException(
                        $"Schema script {migration.Version} ({migration.Name}) was changed after it was applied; "
                            + "scripts are immutable once released: add a new numbered script instead."
                    );
                continue;
            }
            await ExecuteAsync(connection, migration.Sql, cancellationToken);
            await using var record = new NpgsqlCommand(
                "insert into ledger.schema_migrations (version, name, checksum) values ($1, $2, $3)",
                connection
            )
            {
                Parameters =
                {
                    new() { Value = migration.Version },
                    new() { Value = migration.Name },
                    new() { Value = migration.Checksum },
                },
            };
            await record.ExecuteNonQueryAsync(cancellationToken);
            newlyApplied.Add(migration.Version);
        }
        await transaction.CommitAsync(cancellationToken);
        return newlyApplied;
    }

    /// <summary>The highest schema version applied to the database, or null before the first migration.</summary>
    public static async Task<int?> CurrentVersionAsync(
        NpgsqlDataSource dataSource,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        // Two statements: PostgreSQL resolves every table a statement names before running it, so
        // one that merely mentions a missing schema_migrations fails even behind a CASE.
        await using var exists = dataSource.CreateCommand("select to_regclass('ledger.schema_migrations') is not null");
        if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
            return null;
        await using var command = dataSource.CreateCommand("select max(version) from ledger.schema_migrations");
        return await command.ExecuteScalarAsync(cancellationToken) is int version ? version : null;
    }

    private static async Task<Dictionary<int, string>> AppliedChecksumsAsync(
        NpgsqlConnection connection,
        CancellationToken cancellationToken
    )
    {
        await using var command = new NpgsqlCommand(
            "select version, checksum from ledger.schema_migrations",
            connection
        );
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var applied = new Dictionary<int, string>();
        while (await reader.ReadAsync(cancellationToken))
            applied[reader.GetInt32(0)] = reader.GetString(1);
        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The scripts embedded in <paramref name="assembly"/> as <c>Schema/NNNN_name.sql</c>, in version order.</summary>
    public static IReadOnlyList<Migration> LoadEmbedded(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return assembly
            .GetManifestResourceNames()
            .Select(resource => (Resource: resource, Match: ScriptName().Match(resource)))
            .Where(r => r.Match.Success)
            .Select(r => new Migration(
                int.Parse(r.Match.Groups["version"].Value, CultureInfo.InvariantCulture),
                r.Match.Groups["name"].Value,
                ReadResource(assembly, r.Resource)
            ))
            .OrderBy(m => m.Version)
            .ToArray();
    }

    private static string ReadResource(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^Schema/(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex ScriptName();
}
