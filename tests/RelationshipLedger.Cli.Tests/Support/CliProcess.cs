using System.Diagnostics;
using System.Text;

namespace RelationshipLedger.Cli.Tests.Support;

/// <summary>
/// The real <c>ledger</c> command (<c>ledger.dll</c>, copied beside the tests by the project reference)
/// run as a child process with a deadline: a run that outlives it is killed, with its children, and the
/// test fails with whatever the command had written by then.
/// </summary>
public static class CliProcess
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromMinutes(3);

    public static async Task<CliResult> RunAsync(IReadOnlyList<string> arguments, TimeSpan? deadline = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var commandLine = $"ledger {string.Join(' ', arguments.Select(Quoted))}";
        var output = new CapturedLines();
        var errors = new CapturedLines();
        using var process = new Process { StartInfo = StartInfo(arguments) };
        process.OutputDataReceived += (_, line) => output.Add(line.Data);
        process.ErrorDataReceived += (_, line) => errors.Add(line.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var limit = deadline ?? DefaultDeadline;
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            // Also waits until both outputs have been read to their end.
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail(
                $"The ledger command was still running after {limit.TotalSeconds:0} s and was killed.\n"
                    + new CliResult(commandLine, -1, output.Text, errors.Text)
            );
        }
        return new CliResult(commandLine, process.ExitCode, output.Text, errors.Text);
    }

    private static ProcessStartInfo StartInfo(IReadOnlyList<string> arguments)
    {
        // Under `dotnet test` this is the host running the tests; it runs the command too.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var startInfo = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ledger.dll"));
        foreach (var argument in arguments)
            startInfo.ArgumentList.Add(argument);
        // Plain text in unwrapped lines whatever terminal runs the tests; the database only from --connection.
        startInfo.Environment["NO_COLOR"] = "1";
        startInfo.Environment["COLUMNS"] = "240";
        startInfo.Environment.Remove("ConnectionStrings__Ledger");
        return startInfo;
    }

    private static string Quoted(string argument) =>
        argument.Length == 0 || argument.Any(char.IsWhiteSpace) ? $"'{argument}'" : argument;

    /// <summary>Lines of one output as they arrive; readable at any time, also while the process runs.</summary>
    private sealed class CapturedLines
    {
        private readonly Lock _lock = new();
        private readonly StringBuilder _text = new();

        public string Text
        {
            get
            {
                lock (_lock)
                    return _text.ToString();
            }
        }

        public void Add(string? line)
        {
            if (line is null)
                return;
            lock (_lock)
                _text.Append(line).Append('\n');
        }
    }
}
