using System.Data.Common;
using Npgsql;

namespace RelationshipLedger.Api.Hosting;

/// <summary>
/// How long the API waits to open a connection to its database: <see cref="DefaultSeconds"/> unless
/// the connection string says (<c>Timeout=</c>). Npgsql's own default is 15 s; a database that
/// accepts connections but does not answer would hold every request that long before its 503.
/// </summary>
public static class DatabaseConnectTimeout
{
    public const int DefaultSeconds = 5;

    /// <summary>The connection string with the API's connect timeout, unless it sets one itself.</summary>
    public static string Apply(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.ContainsKey("Timeout"))
            return connectionString;
        return new NpgsqlConnectionStringBuilder(connectionString) { Timeout = DefaultSeconds }.ConnectionString;
    }
}
