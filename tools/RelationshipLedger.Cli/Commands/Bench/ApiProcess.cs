using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>
/// The real API (<c>RelationshipLedger.Api.dll</c>, copied beside the CLI by its project reference) run as a
/// child process on a free loopback port, against the benchmark's database, with a bootstrap key of its own,
/// per-key rate limiting off (the load is one key) and <c>Ledger:Schema</c> = <c>Verify</c> (the benchmark
/// migrated first). Killed with its children on dispose.
/// </summary>
internal sealed class ApiProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromMinutes(2);
    private readonly Process _process;
    private readonly List<string> _errors = [];

    private ApiProcess(Process process, Uri baseAddress, string key)
    {
        _process = process;
        BaseAddress = baseAddress;
        Key = key;
    }

    public Uri BaseAddress { get; }

    /// <summary>The bootstrap key: every role.</summary>
    public string Key { get; }

    public int ProcessId => _process.Id;

    public static async Task<ApiProcess> StartAsync(string connectionString, CancellationToken cancellationToken)
    {
        var port = FreeLoopbackPort();
        var key = "rlk_bench_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var start = StartInfo();
        start.Environment["ConnectionStrings__Ledger"] = connectionString;
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["LEDGER_BOOTSTRAP_KEY"] = key;
        start.Environment["RateLimiting__Enabled"] = "false";
        start.Environment["Ledger__Schema"] = "Verify";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the API.");
        var api = new ApiProcess(process, new Uri($"http://127.0.0.1:{port}/"), key);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { } text)
                lock (api._errors)
                    api._errors.Add(text);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await api.WaitUntilHealthyAsync(cancellationToken);
            return api;
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }
    }

    /// <summary>The process's resident set as the OS reports it now.</summary>
    public long WorkingSetBytes()
    {
        _process.Refresh();
        return _process.WorkingSet64;
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartDeadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException(
                    $"The API exited with code {_process.ExitCode} before it was healthy:\n{Errors()}"
                );
            try
            {
                using var response = await client.GetAsync("health", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Not answering yet.
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
        throw new InvalidOperationException(
            $"The API was not healthy within {StartDeadline.TotalSeconds:0} s:\n{Errors()}"
        );
    }

    private string Errors()
    {
        lock (_errors)
            return string.Join('\n', _errors.TakeLast(20));
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary><c>dotnet RelationshipLedger.Api.dll</c> from the CLI's own directory.</summary>
    private static ProcessStartInfo StartInfo()
    {
        var assembly = Path.Combine(AppContext.BaseDirectory, "RelationshipLedger.Api.dll");
        if (!File.Exists(assembly))
            throw new InvalidOperationException($"The API's binaries are not beside the CLI: {assembly} is missing.");
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(assembly);
        return start;
    }

    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
            return host;
        if (Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet")
            return path;
        return "dotnet";
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
