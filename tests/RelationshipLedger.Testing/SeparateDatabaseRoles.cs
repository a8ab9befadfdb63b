using Npgsql;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Testing;

/// <summary>
/// An empty database with the roles of deploy/roles.sql: a migrator role (no superuser) that may create
/// the schema, and so will own it, and a role for the API, which the test grants the API's rights
/// (<c>ApiDatabaseRole</c>, <c>ledger migrate --grant-api-role</c>) after migrating as the migrator.
/// Disposing drops what both own, both roles and the database.
/// </summary>
public sealed class SeparateDatabaseRoles : IAsyncDisposable
{
    private const string Password = "separate-roles-test";

    private SeparateDatabaseRoles(TestDatabase database, string migrator, string api)
    {
        Database = database;
        Migrator = migrator;
        Api = api;
        MigratorDataSource = LedgerDatabase.CreateDataSource(ConnectionStringOf(migrator));
    }

    /// <summary>The database, through its superuser (the test's own view, for checks).</summary>
    public TestDatabase Database { get; }

    /// <summary>The role that owns schema <c>ledger</c>.</summary>
    public string Migrator { get; }

    /// <summary>The role with the API's rights.</summary>
    public string Api { get; }

    public NpgsqlDataSource MigratorDataSource { get; }

    public string ApiConnectionString => ConnectionStringOf(Api);

    public string MigratorConnectionString => ConnectionStringOf(Migrator);

    /// <summary>
    /// Makes the database and both roles. btree_gist (which a read model needs) is created by the
    /// superuser, as an operator would: the migrator may not create in schema public.
    /// </summary>
    public static async Task<SeparateDatabaseRoles> CreateAsync()
    {
        var database = await TestDatabase.CreateAsync(migrated: false);
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var roles = new SeparateDatabaseRoles(database, $"migrator_{suffix}", $"api_{suffix}");
        try
        {
            await ExecuteAsync(
                database.DataSource,
                $"""
                create role {roles.Migrator} login password '{Password}';
                create role {roles.Api} login password '{Password}';
                grant create, connect, temporary on database {database.Name} to {roles.Migrator};
                grant connect, temporary on database {database.Name} to {roles.Api};
                create extension if not exists btree_gist;
                """
            );
            return roles;
        }
        catch
        {
            await roles.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await MigratorDataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(
            Database.DataSource,
            $"""
            drop owned by {Api}, {Migrator};
            drop role if exists {Api};
            drop role if exists {Migrator};
            """
        );
        await Database.DisposeAsync();
    }

    private string ConnectionStringOf(string role) =>
        new NpgsqlConnectionStringBuilder(Database.ConnectionString)
        {
            Username = role,
            Password = Password,
        }.ConnectionString;

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
