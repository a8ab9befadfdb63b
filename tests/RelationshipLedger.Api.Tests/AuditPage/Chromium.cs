using System.Diagnostics;

namespace RelationshipLedger.Api.Tests.AuditPage;

/// <summary>
/// Debian's <c>chromium</c>, which Playwright drives through <c>ExecutablePath</c> (it downloads no
/// browser of its own): CHROMIUM_PATH when set, else the usual Debian paths; when none is there and
/// the tests run as root (as CI does), it is installed with apt-get, otherwise the tests fail saying how.
/// </summary>
public static class Chromium
{
    public const string PathSetting = "CHROMIUM_PATH";

    private static readonly string[] DebianPaths = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    /// <summary>Arguments for a headless run; as root, Chromium refuses to start with its sandbox.</summary>
    public static IReadOnlyList<string> Arguments => IsRoot ? ["--no-sandbox"] : [];

    private static bool IsRoot => OperatingSystem.IsLinux() && Environment.UserName == "root";

    public static async Task<string> FindOrInstallAsync()
    {
        if (Environment.GetEnvironmentVariable(PathSetting) is { Length: > 0 } configured)
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException($"{PathSetting} is '{configured}', which does not exist.");
        if (Find() is { } found)
            return found;
        if (!IsRoot || !File.Exists("/usr/bin/apt-get"))
            throw new InvalidOperationException(NotFoundMessage);
        await InstallLock.WaitAsync();
        try
        {
            if (Find() is { } installedMeanwhile)
                return installedMeanwhile;
            await InstallAsync();
            return Find() ?? throw new InvalidOperationException(NotFoundMessage);
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static string? Find() => DebianPaths.FirstOrDefault(File.Exists);

    private static string NotFoundMessage =>
        "The audit page's browser tests need Chromium and found none at "
        + $"{string.Join(" or ", DebianPaths)}. Install it with "
        + "'sudo apt-get install chromium' (Debian/Ubuntu), or set "
        + $"{PathSetting} to a Chromium or Chrome executable.";

    private static async Task InstallAsync()
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList =
            {
                "-c",
                "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("apt-get did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"Installing chromium with apt-get failed ({process.ExitCode}): {await errors}{await output}\n{NotFoundMessage}"
            );
    }
}
