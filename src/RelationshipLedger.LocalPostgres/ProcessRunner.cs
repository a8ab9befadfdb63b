using System.Diagnostics;

namespace RelationshipLedger.LocalPostgres;

internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>Runs a program to completion with a deadline, capturing what it prints.</summary>
internal static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(
        string program,
        IReadOnlyList<string> arguments,
        TimeSpan timeout,
        CancellationToken cancellationToken = default
    )
    {
        var startInfo = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            // Let PostgreSQL's tools find their locale data but never a caller's PG* settings.
            Environment =
            {
                ["PGHOST"] = null,
                ["PGPORT"] = null,
                ["PGDATA"] = null,
                ["LC_ALL"] = "C",
            },
        };
        foreach (var argument in arguments)
            startInfo.ArgumentList.Add(argument);

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new LocalPostgresException($"Could not start '{program}': {exception.Message}", exception);
        }
        process.StandardInput.Close();
        var standardOutput = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var standardError = process.StandardError.ReadToEndAsync(cancellationToken);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new LocalPostgresException(
                $"'{program} {string.Join(' ', arguments)}' did not finish within {timeout.TotalSeconds:0} s."
            );
        }
        return new ProcessResult(process.ExitCode, await standardOutput, await standardError);
    }
}
