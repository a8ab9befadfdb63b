using System.Diagnostics;
using System.Text;

namespace RelationshipLedger.Application.Tests.SatisfactionHistory;

/// <summary><c>ledger daemon</c> (tools/RelationshipLedger.Cli, copied beside the tests) running as a child process.</summary>
public sealed class LedgerDaemonProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _lock = new();

    private LedgerDaemonProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static LedgerDaemonProcess Start(string connectionString, string node)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var startInfo = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "ledger.dll"),
                "daemon",
                "--connection",
                connectionString,
                "--node",
                node,
                "--batch-size",
                "10",
            },
        };
        return new LedgerDaemonProcess(
            Process.Start(startInfo) ?? throw new InvalidOperationException("ledger daemon did not start.")
        );
    }

    /// <summary>Everything it printed so far, for a failure message.</summary>
    public string Output
    {
        get
        {
            lock (_lock)
                return _output.ToString();
        }
    }

    /// <summary>Throws with its output if it has exited: a daemon runs until it is stopped.</summary>
    public void EnsureRunning()
    {
        if (_process.HasExited)
            throw new InvalidOperationException($"ledger daemon exited with {_process.ExitCode}:\n{Output}");
    }

    /// <summary>SIGKILL: no clean-up, no unlock; PostgreSQL sees the connections drop.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_lock)
            _output.AppendLine(line);
    }
}
