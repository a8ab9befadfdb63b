using System.Diagnostics;
using System.Reflection;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>What one <c>ledger projections rebuild</c> child process did, and the most memory it held.</summary>
internal sealed record ChildRebuild(int ExitCode, string Output, string Errors, long PeakWorkingSetBytes);

/// <summary>
/// Runs <c>ledger projections rebuild NAME</c> as a child process on the benchmark's database, so its
/// peak memory is the rebuild's own (not the seeding's, which happened in this process): the child's
/// high-water mark (<see cref="Process.PeakWorkingSet64"/>, VmHWM on Linux) is sampled until it exits.
/// </summary>
internal static class RebuildProcess
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(20);

    public static async Task<ChildRebuild> RunAsync(
        string connectionString,
        string projection,
        CancellationToken cancellationToken
    )
    {
        var start = StartInfo();
        foreach (var argument in new[] { "projections", "rebuild", projection, "--connection", connectionString })
            start.ArgumentList.Add(argument);
        using var child =
            Process.Start(start) ?? throw new InvalidOperationException("Could not start the ledger command.");
        var output = child.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = child.StandardError.ReadToEndAsync(cancellationToken);
        long peak = 0;
        using var timer = new PeriodicTimer(SampleInterval);
        while (!child.HasExited)
        {
            try
            {
                child.Refresh();
                peak = Math.Max(peak, child.PeakWorkingSet64);
            }
            catch (InvalidOperationException)
            {
                // It exited between the check and the sample.
            }
            await timer.WaitForNextTickAsync(cancellationToken);
        }
        await child.WaitForExitAsync(cancellationToken);
        return new ChildRebuild(child.ExitCode, await output, await errors, peak);
    }

    /// <summary>This very command: its apphost, or <c>dotnet</c> with its assembly.</summary>
    private static ProcessStartInfo StartInfo()
    {
        var path =
            Environment.ProcessPath ?? throw new InvalidOperationException("The ledger command's path is unknown.");
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(path) == "dotnet")
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        return start;
    }
}
