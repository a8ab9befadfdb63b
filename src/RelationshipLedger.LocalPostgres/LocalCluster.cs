using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace RelationshipLedger.LocalPostgres;

/// <summary>
/// A private PostgreSQL cluster on a loopback port, created on first start and reused afterwards.
/// Its superuser is <see cref="Username"/> with a generated password kept in the data directory.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    public const string Username = "ledger";
    private const string PasswordFileName = "superuser.password";

    private readonly PostgresBinaries _binaries;
    private readonly LocalClusterOptions _options;
    private bool _running;

    private LocalCluster(PostgresBinaries binaries, LocalClusterOptions options, string clusterRoot, string password)
    {
        _binaries = binaries;
        _options = options;
        ClusterRoot = clusterRoot;
        Password = password;
    }

    /// <summary>The directory PostgreSQL owns: <c>data/</c> (the cluster) and <c>postgres.log</c>.</summary>
    public string ClusterRoot { get; }

    public string PgData => Path.Combine(ClusterRoot, "data");

    public string LogFile => Path.Combine(ClusterRoot, "postgres.log");

    public string Password { get; }

    public int Port { get; private set; }

    /// <summary>
    /// True when the server was already running (started by another process) and this instance
    /// adopted it; a short-lived tool should then leave it running for its owner.
    /// </summary>
    public bool AdoptedRunningServer { get; private set; }

    /// <summary>An Npgsql connection string for <paramref name="database"/> on this cluster.</summary>
    public string ConnectionStringFor(string database) =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username={Username};Password={Password};Database={database}";

    /// <summary>Creates the cluster if needed, then starts it, or adopts it when it is already running.</summary>
    public static async Task<LocalCluster> StartAsync(
        LocalClusterOptions options,
        CancellationToken cancellationToken = default
    )
    {
        var binaries = PostgresBinaries.Locate();
        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(dataDirectory);
        var clusterRoot = await ClusterRootFor(dataDirectory, cancellationToken);
        var password = ReadOrCreatePassword(dataDirectory);
        var cluster = new LocalCluster(binaries, options with { DataDirectory = dataDirectory }, clusterRoot, password);
        if (!File.Exists(Path.Combine(cluster.PgData, "PG_VERSION")))
            await cluster.InitializeAsync(cancellationToken);
        await cluster.StartServerAsync(port: null, cancellationToken);
        return cluster;
    }

    /// <summary>Stops the server, waiting for connections to close (PostgreSQL's "fast" mode).</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => StopAsync("fast", cancellationToken);

    /// <summary>Stops the server without a shutdown checkpoint, as a crash would; the next start recovers from the WAL.</summary>
    public Task CrashAsync(CancellationToken cancellationToken = default) => StopAsync("immediate", cancellationToken);

    /// <summary>Starts a stopped (or crashed) cluster again, on a new free port.</summary>
    public Task RestartAsync(CancellationToken cancellationToken = default) =>
        StartServerAsync(port: null, cancellationToken);

    /// <summary>
    /// Starts a stopped (or crashed) cluster again on the port it had, so that clients configured with
    /// it (an API's connection string) find it again by themselves, as after a database outage.
    /// </summary>
    public Task RestartOnSamePortAsync(CancellationToken cancellationToken = default) =>
        StartServerAsync(Port, cancellationToken);

    /// <summary>Stops the server; a cluster made to be deleted is discarded at once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_options.DeleteOnStop)
            Discard();
        else
            await StopAsync();
    }

    /// <summary>
    /// Signals the server to shut down immediately and hands the deletion of the data directory to
    /// a detached <c>rm</c>, which outlives this process: a test host's exit handler may be given
    /// only moments, too few to delete a cluster's files itself.
    /// </summary>
    public void Discard()
    {
        if (_running && RunningPostmaster() is { } postmaster)
            OperatingSystemUser.SignalImmediateShutdown(postmaster.Pid);
        _running = false;
        OperatingSystemUser.DeleteDetached(_options.DataDirectory);
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(ClusterRoot);
        var passwordFile = Path.Combine(ClusterRoot, "initdb.password");
        await File.WriteAllTextAsync(passwordFile, Password, cancellationToken);
        await OperatingSystemUser.GiveToServiceAccountAsync(ClusterRoot, cancellationToken);
        try
        {
            List<string> arguments =
            [
                "-D",
                PgData,
                "-U",
                Username,
                $"--pwfile={passwordFile}",
                "--auth=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
            ];
            if (!_options.Durable)
                arguments.AddRange(["--no-sync", "--wal-segsize=1"]); // small WAL files: a throwaway cluster stays a few MB
            await RunServerProgramAsync(_binaries.InitDb, arguments, TimeSpan.FromMinutes(2), cancellationToken);
        }
        finally
        {
            File.Delete(passwordFile);
        }
        await File.AppendAllTextAsync(
            Path.Combine(PgData, "postgresql.conf"),
            "\n# Settings of the RelationshipLedger embedded cluster\ninclude_if_exists = 'ledger.conf'\n",
            cancellationToken
        );
        await File.WriteAllTextAsync(Path.Combine(PgData, "ledger.conf"), ServerSettings(), cancellationToken);
        await OperatingSystemUser.GiveToServiceAccountAsync(ClusterRoot, cancellationToken);
    }

    private string ServerSettings()
    {
        var settings = new StringBuilder()
            .AppendLine("listen_addresses = '127.0.0.1'")
            .AppendLine("unix_socket_directories = ''")
            .AppendLine("max_connections = 300")
            .AppendLine("shared_buffers = 256MB");
        if (_options.Durable)
            settings.AppendLine("max_wal_size = 2GB");
        else
            settings
                .AppendLine("fsync = off")
                .AppendLine("full_page_writes = off")
                .AppendLine("min_wal_size = 2MB")
                .AppendLine("max_wal_size = 64MB");
        return settings.ToString();
    }

    private async Task StartServerAsync(int? port, CancellationToken cancellationToken)
    {
        if (RunningPostmaster() is { } adopted)
        {
            Port = adopted.Port;
            AdoptedRunningServer = true;
            _running = true;
            return;
        }
        // A given port is the caller's to have freed; a probed one may be taken by another process meanwhile.
        var attempts = port is null ? 3 : 1;
        for (var attempt = 1; ; attempt++)
        {
            Port = port ?? FreeLoopbackPort();
            var timeoutSeconds = ((int)_options.StartTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            List<string> arguments =
            [
                "start",
                "-D",
                PgData,
                "-l",
                LogFile,
                "-w",
                "-t",
                timeoutSeconds,
                "-o",
                $"-p {Port.ToString(CultureInfo.InvariantCulture)}",
            ];
            try
            {
                await RunServerProgramAsync(
                    _binaries.PgCtl,
                    arguments,
                    _options.StartTimeout + TimeSpan.FromSeconds(10),
                    cancellationToken
                );
                AdoptedRunningServer = false;
                _running = true;
                return;
            }
            catch (LocalPostgresException) when (attempt < attempts)
            {
                // Another process may have taken the free port between our probe and the server's bind.
            }
        }
    }

    private async Task StopAsync(string mode, CancellationToken cancellationToken)
    {
        // Another process that adopted this server may have stopped it already.
        if (!_running || RunningPostmaster() is null)
        {
            _running = false;
            return;
        }
        await RunServerProgramAsync(
            _binaries.PgCtl,
            ["stop", "-D", PgData, "-m", mode, "-w", "-t", "60"],
            TimeSpan.FromSeconds(70),
            cancellationToken
        );
        _running = false;
    }

    /// <summary>The server running on this cluster's data directory (perhaps left by an earlier process), if any.</summary>
    private (int Pid, int Port)? RunningPostmaster()
    {
        var pidFile = Path.Combine(PgData, "postmaster.pid");
        if (!File.Exists(pidFile))
            return null;
        var lines = File.ReadAllLines(pidFile);
        if (
            lines.Length < 4
            || !int.TryParse(lines[0], CultureInfo.InvariantCulture, out var pid)
            || !int.TryParse(lines[3], CultureInfo.InvariantCulture, out var port)
            || !ProcessIsAlive(pid)
        )
            return null;
        return (pid, port);
    }

    private static bool ProcessIsAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited && process.ProcessName.StartsWith("postgres", StringComparison.Ordinal);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private async Task RunServerProgramAsync(
        string program,
        IReadOnlyList<string> arguments,
        TimeSpan timeout,
        CancellationToken cancellationToken
    )
    {
        var (runAs, runArguments) = OperatingSystemUser.AsServiceUser(program, arguments);
        var result = await ProcessRunner.RunAsync(runAs, runArguments, timeout, cancellationToken);
        if (result.ExitCode == 0)
            return;
        var log = File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(15)) : "";
        throw new LocalPostgresException(
            $"'{Path.GetFileName(program)} {string.Join(' ', arguments)}' failed (exit {result.ExitCode}):\n"
                + $"{result.StandardError.Trim()}\n{result.StandardOutput.Trim()}\n{log}".TrimEnd()
        );
    }

    /// <summary>
    /// Where PostgreSQL's own files go: <c>DATA/postgres</c>, unless this process is root and the
    /// postgres account cannot reach that (a checkout under a private home directory); then a
    /// directory under <c>/var/lib</c> derived from the data directory's path, so it is found again.
    /// </summary>
    private static async Task<string> ClusterRootFor(string dataDirectory, CancellationToken cancellationToken)
    {
        var preferred = Path.Combine(dataDirectory, "postgres");
        if (!OperatingSystemUser.IsRoot || File.Exists(Path.Combine(preferred, "data", "PG_VERSION")))
            return preferred;
        Directory.CreateDirectory(preferred);
        await OperatingSystemUser.GiveToServiceAccountAsync(preferred, cancellationToken);
        if (await OperatingSystemUser.ServiceAccountCanWriteAsync(preferred, cancellationToken))
            return preferred;
        Directory.Delete(preferred);
        var pathHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dataDirectory)))[..16];
        var relocated = Path.Combine("/var/lib/relationship-ledger", pathHash);
        Directory.CreateDirectory(relocated);
        await OperatingSystemUser.GiveToServiceAccountAsync(relocated, cancellationToken);
        await File.WriteAllTextAsync(
            Path.Combine(dataDirectory, "CLUSTER-LOCATION.txt"),
            $"The postgres account cannot reach this directory, so the cluster lives in {relocated}\n",
            cancellationToken
        );
        return relocated;
    }

    private static string ReadOrCreatePassword(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, PasswordFileName);
        if (File.Exists(path))
            return File.ReadAllText(path).Trim();
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(path, Encoding.ASCII, options))
            writer.Write(password);
        return password;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
