using System.Globalization;

namespace RelationshipLedger.LocalPostgres;

/// <summary>The directory holding the machine's <c>initdb</c>, <c>pg_ctl</c> and <c>postgres</c> programs.</summary>
public sealed record PostgresBinaries(string Directory)
{
    /// <summary>The oldest major version whose features the ledger relies on (xid8, pg_current_xact_id, SQL-standard function bodies).</summary>
    public const int MinimumMajorVersion = 14;

    public const string NotFoundAdvice =
        "No PostgreSQL server binaries (initdb, pg_ctl) were found on this machine. Do one of:\n"
        + "  - install PostgreSQL 15 or later (Debian/Ubuntu: `sudo apt-get install postgresql`; "
        + "macOS: `brew install postgresql@16`) and run again;\n"
        + "  - point at an existing server: set ConnectionStrings__Ledger, e.g. "
        + "'Host=localhost;Port=5432;Username=ledger;Password=...;Database=ledger';\n"
        + "  - or start one with Docker: `docker compose up -d db` and set ConnectionStrings__Ledger as the README shows.\n"
        + "If the binaries are installed somewhere unusual, set LEDGER_PG_BIN to their directory.";

    public string InitDb => Path.Combine(Directory, "initdb");

    public string PgCtl => Path.Combine(Directory, "pg_ctl");

    public string PgIsReady => Path.Combine(Directory, "pg_isready");

    /// <summary>Finds the binaries, or throws <see cref="LocalPostgresException"/> with <see cref="NotFoundAdvice"/>.</summary>
    public static PostgresBinaries Locate() => Locate(TryLocate());

    /// <summary>What <see cref="Locate()"/> makes of the search's outcome; tests pass null to play a machine without PostgreSQL.</summary>
    internal static PostgresBinaries Locate(PostgresBinaries? found) =>
        found ?? throw new LocalPostgresException(NotFoundAdvice);

    /// <summary>
    /// Looks, in order, at LEDGER_PG_BIN, every PATH entry, <c>pg_config --bindir</c>, and the usual
    /// package locations, taking the highest version among the package locations.
    /// </summary>
    public static PostgresBinaries? TryLocate()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("LEDGER_PG_BIN") is { Length: > 0 } explicitDirectory)
            candidates.Add(explicitDirectory);
        candidates.AddRange(PathEntries());
        if (PgConfigBinDirectory() is { } fromPgConfig)
            candidates.Add(fromPgConfig);
        candidates.AddRange(PackageDirectories());
        return candidates.Where(HasServerPrograms).Select(d => new PostgresBinaries(d)).FirstOrDefault();
    }

    private static bool HasServerPrograms(string directory) =>
        File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl"));

    private static string[] PathEntries() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(
            Path.PathSeparator,
            StringSplitOptions.RemoveEmptyEntries
        );

    private static string? PgConfigBinDirectory()
    {
        var pgConfig = PathEntries().Select(d => Path.Combine(d, "pg_config")).FirstOrDefault(File.Exists);
        if (pgConfig is null)
            return null;
        try
        {
            var result = ProcessRunner
                .RunAsync(pgConfig, ["--bindir"], TimeSpan.FromSeconds(10))
                .GetAwaiter()
                .GetResult();
            return result.ExitCode == 0 ? result.StandardOutput.Trim() : null;
        }
        catch (LocalPostgresException)
        {
            return null;
        }
    }

    /// <summary>Debian/Ubuntu, RHEL, Homebrew and source-build locations, newest major version first.</summary>
    private static IEnumerable<string> PackageDirectories()
    {
        (string Root, string Pattern, Func<string, string> Bin)[] layouts =
        [
            ("/usr/lib/postgresql", "*", d => Path.Combine(d, "bin")),
            ("/usr", "pgsql-*", d => Path.Combine(d, "bin")),
            ("/opt/homebrew/opt", "postgresql*", d => Path.Combine(d, "bin")),
            ("/usr/local/opt", "postgresql*", d => Path.Combine(d, "bin")),
        ];
        var versioned = layouts
            .Where(l => System.IO.Directory.Exists(l.Root))
            .SelectMany(l => System.IO.Directory.EnumerateDirectories(l.Root, l.Pattern).Select(l.Bin))
            .Select(bin => (Bin: bin, Major: MajorVersionIn(bin)))
            .Where(c => c.Major is null or >= MinimumMajorVersion)
            .OrderByDescending(c => c.Major ?? 0)
            .Select(c => c.Bin);
        return versioned.Append("/usr/local/pgsql/bin");
    }

    private static int? MajorVersionIn(string binDirectory)
    {
        var digits = new string(
            binDirectory.SkipWhile(c => !char.IsAsciiDigit(c)).TakeWhile(char.IsAsciiDigit).ToArray()
        );
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? major : null;
    }
}
