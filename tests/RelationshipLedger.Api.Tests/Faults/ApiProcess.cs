using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using RelationshipLedger.Api.Security;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Api.Tests.Faults;

/// <summary>
/// The API as an operator runs it: <c>dotnet RelationshipLedger.Api.dll</c> (copied beside the tests)
/// in a process of its own, on a free loopback port, against the given database, admitting a
/// bootstrap key. <see cref="Kill"/> sends SIGKILL: no shutdown, no flushing, as a crash would.
/// </summary>
public sealed class ApiProcess : IDisposable
{
    private const int OutputLinesKept = 40;
    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly Lock _lock = new();

    private ApiProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    /// <summary>Starts the API and waits until <c>GET /health</c> answers 200.</summary>
    public static async Task<ApiProcess> StartAsync(string connectionString, string bootstrapKey)
    {
        var port = FreeLoopbackPort();
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var startInfo = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "RelationshipLedger.Api.dll") },
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
                ["ConnectionStrings__Ledger"] = connectionString,
                [BootstrapKey.Setting] = bootstrapKey,
                // Many writers share one key; the rate limiter is tested elsewhere.
                ["RateLimiting__Enabled"] = "false",
                // Nothing but the test's writers appends.
                ["Ledger__ChurnWatch__Enabled"] = "false",
                ["Ledger__Daemon__PollInterval"] = "00:00:00.100",
                ["Ledger__Daemon__MaxRetryDelay"] = "00:00:00.200",
                ["Logging__LogLevel__Default"] = "Warning",
            },
        };
        var api = new ApiProcess(
            Process.Start(startInfo) ?? throw new InvalidOperationException("The API did not start."),
            new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/")
        );
        try
        {
            await api.WaitUntilHealthyAsync();
            return api;
        }
        catch
        {
            api.Dispose();
            throw;
        }
    }

    /// <summary>Kills the process with SIGKILL and waits for it to be gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>The last lines it wrote, for a failure message.</summary>
    public string RecentOutput()
    {
        lock (_lock)
            return string.Join('\n', _output);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill();
        _process.Dispose();
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        await Eventually.IsTrueAsync(
            async () =>
            {
                if (_process.HasExited)
                    throw new InvalidOperationException($"The API exited with {_process.ExitCode}:\n{RecentOutput()}");
                try
                {
                    using var response = await probe.GetAsync("/health");
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false; // Not listening yet.
                }
            },
            $"the API process on {BaseAddress} to answer /health with 200",
            TimeSpan.FromSeconds(60)
        );
    }

    private void Keep(string? line)
    {
        if (line is null)
            return;
        lock (_lock)
        {
            _output.Enqueue(line);
            if (_output.Count > OutputLinesKept)
                _output.Dequeue();
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
