using System.Runtime.InteropServices;

namespace RelationshipLedger.LocalPostgres;

/// <summary>
/// PostgreSQL refuses to run as root, so when this process is root its server programs run as
/// the <c>postgres</c> account (through <c>runuser</c>) on directories that account owns.
/// </summary>
internal static partial class OperatingSystemUser
{
    public const string ServiceAccount = "postgres";

    public static bool IsRoot { get; } = !OperatingSystem.IsWindows() && GetEffectiveUserId() == 0;

    /// <summary>The program and arguments that run <paramref name="program"/> as the account PostgreSQL accepts.</summary>
    public static (string Program, IReadOnlyList<string> Arguments) AsServiceUser(
        string program,
        IReadOnlyList<string> arguments
    ) => IsRoot ? ("runuser", ["-u", ServiceAccount, "--", program, .. arguments]) : (program, arguments);

    /// <summary>Gives <paramref name="path"/> (recursively) to the service account when running as root.</summary>
    public static async Task GiveToServiceAccountAsync(string path, CancellationToken cancellationToken)
    {
        if (!IsRoot)
            return;
        var result = await ProcessRunner.RunAsync(
            "chown",
            ["-R", $"{ServiceAccount}:{ServiceAccount}", path],
            TimeSpan.FromSeconds(30),
            cancellationToken
        );
        if (result.ExitCode != 0)
            throw new LocalPostgresException(
                $"This process runs as root, so PostgreSQL must run as the '{ServiceAccount}' user, "
                    + $"but '{path}' could not be given to it: {result.StandardError.Trim()} "
                    + "Create that user (installing PostgreSQL does), run as a normal user, or set ConnectionStrings__Ledger."
            );
    }

    /// <summary>Whether the service account can create files in <paramref name="directory"/> (every parent traversable).</summary>
    public static async Task<bool> ServiceAccountCanWriteAsync(string directory, CancellationToken cancellationToken)
    {
        if (!IsRoot)
            return true;
        var (program, arguments) = AsServiceUser("test", ["-w", directory, "-a", "-x", directory]);
        var result = await ProcessRunner.RunAsync(program, arguments, TimeSpan.FromSeconds(10), cancellationToken);
        return result.ExitCode == 0;
    }

    /// <summary>Asks a PostgreSQL server for an immediate shutdown (SIGQUIT) without waiting for it.</summary>
    public static bool SignalImmediateShutdown(int postmasterPid) =>
        !OperatingSystem.IsWindows() && SendSignal(postmasterPid, SignalQuit) == 0;

    /// <summary>
    /// Removes <paramref name="directory"/> in a process of its own that outlives this one: a shell
    /// starts <c>rm -rf</c> in the background and exits, so the removal is no longer this process's
    /// child when a test runner ends this process and everything it started.
    /// </summary>
    public static void DeleteDetached(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.Delete(directory, recursive: true);
            return;
        }
        var startInfo = new System.Diagnostics.ProcessStartInfo("sh") { UseShellExecute = false };
        foreach (var argument in (string[])["-c", "rm -rf -- \"$1\" >/dev/null 2>&1 &", "sh", directory])
            startInfo.ArgumentList.Add(argument);
        using var shell = System.Diagnostics.Process.Start(startInfo);
        shell?.WaitForExit(TimeSpan.FromSeconds(5));
    }

    private const int SignalQuit = 3;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}
