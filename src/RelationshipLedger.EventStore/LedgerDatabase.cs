using Npgsql;

namespace RelationshipLedger.EventStore;

/// <summary>Creates the ledger's database when missing and builds the data source every component shares.</summary>
public static class LedgerDatabase
{
    /// <summary>
    /// A data source for <paramref name="connectionString"/> that prepares the store's hot statements
    /// automatically, unless the connection string already says otherwise.
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
            builder.MaxAutoPrepare = 64;
        return NpgsqlDataSource.Create(builder);
    }

    /// <summary>Creates the connection string's database through the server's <c>postgres</c> database if it does not exist.</summary>
    public static async Task EnsureDatabaseExistsAsync(
        string connectionString,
        CancellationToken cancellationToken = default
    )
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var database =
            target.Database
            ?? throw new ArgumentException("The connection string names no Database.", nameof(connectionString));
        var maintenance = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Database = "postgres",
            Pooling = false,
        };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", connection)
        {
            Parameters = { new() { Value = database } },
        };
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
            return;
        await using var create = new NpgsqlCommand($"create database {QuoteIdentifier(database)}", connection);
        try
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another process created it between our check and our create: that is what we wanted.
        }
    }

    public static string QuoteIdentifier(string identifier) =>
        "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
