using System.CommandLine;
using Npgsql;
using RelationshipLedger.EventStore;
using RelationshipLedger.LocalPostgres;

namespace RelationshipLedger.Cli;

/// <summary>
/// The ledger database a command works on: <c>--connection</c>, else <c>ConnectionStrings__Ledger</c>,
/// else the embedded default cluster in <c>LEDGER_DATA_DIR</c> (default <c>.ledger</c>). A server this
/// command started is stopped when it is done; one that another process runs (the API) is left to its owner.
/// </summary>
internal sealed class LedgerConnection : IAsyncDisposable
{
    public const string EnvironmentVariable = "ConnectionStrings__Ledger";
    public const string DataDirectoryVariable = "LEDGER_DATA_DIR";
    public const string DefaultDataDirectory = ".ledger";

    private readonly LocalCluster? _startedCluster;

    private LedgerConnection(NpgsqlDataSource dataSource, string source, LocalCluster? startedCluster)
    {
        DataSource = dataSource;
        Source = source;
        _startedCluster = startedCluster;
    }

    public static Option<string> Option { get; } =
        new("--connection")
        {
            Description =
                $"An Npgsql connection string. Default: ${EnvironmentVariable}, else the embedded cluster in ${DataDirectoryVariable} or {DefaultDataDirectory}.",
            HelpName = "connection-string",
            Recursive = true,
        };

    public NpgsqlDataSource DataSource { get; }

    /// <summary>Where the connection came from, for the user: an option, a variable, or the embedded cluster.</summary>
    public string Source { get; }

    public static async Task<LedgerConnection> OpenAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        if (parseResult.GetValue(Option) is { Length: > 0 } given)
            return ForServer(ParseConnectionString(given, "--connection"), "--connection");
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
            return ForServer(ParseConnectionString(configured, EnvironmentVariable), EnvironmentVariable);

        var dataDirectory = Environment.GetEnvironmentVariable(DataDirectoryVariable) is { Length: > 0 } directory
            ? directory
            : DefaultDataDirectory;
        var cluster = await LocalCluster.StartAsync(
            new LocalClusterOptions { DataDirectory = dataDirectory },
            cancellationToken
        );
        var ownsServer = !cluster.AdoptedRunningServer;
        try
        {
            var connectionString = cluster.ConnectionStringFor("ledger");
            await LedgerDatabase.EnsureDatabaseExistsAsync(connectionString, cancellationToken);
            var source =
                $"embedded cluster in {Path.GetFullPath(dataDirectory)} ({(ownsServer ? "started for this command" : "already running")})";
            return new(LedgerDatabase.CreateDataSource(connectionString), source, ownsServer ? cluster : null);
        }
        catch
        {
            if (ownsServer)
                await cluster.StopAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>Parses a connection string, turning a malformed one into a usage error that names where it came from.</summary>
    public static NpgsqlConnectionStringBuilder ParseConnectionString(string connectionString, string source)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException)
        {
            // Npgsql's ArgumentException adds "(Parameter 'port')" on a second line; the first says it all.
            var reason = exception.Message.Split('\n')[0].Trim();
            throw new UsageException($"The connection string in {source} is not valid: {reason}.", exception);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        if (_startedCluster is not null)
            await _startedCluster.StopAsync();
    }

    private static LedgerConnection ForServer(NpgsqlConnectionStringBuilder server, string source) =>
        new(
            LedgerDatabase.CreateDataSource(server.ConnectionString),
            $"{server.Host}:{server.Port}/{server.Database} (from {source})",
            null
        );
}
