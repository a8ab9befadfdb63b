using System.Globalization;
using System.Text.RegularExpressions;

namespace RelationshipLedger.LocalPostgres.Tests;

public sealed partial class PostgresBinariesTests
{
    [Fact]
    public async Task Locate_finds_initdb_and_pg_ctl_of_a_supported_version_on_this_machine()
    {
        var binaries = PostgresBinaries.Locate();

        Assert.True(File.Exists(binaries.InitDb), binaries.InitDb);
        Assert.True(File.Exists(binaries.PgCtl), binaries.PgCtl);
        var version = await ProcessRunner.RunAsync(binaries.PgCtl, ["--version"], TimeSpan.FromSeconds(30));
        Assert.Equal(0, version.ExitCode);
        var major = MajorVersion().Match(version.StandardOutput);
        Assert.True(major.Success, version.StandardOutput);
        Assert.InRange(
            int.Parse(major.Groups[1].Value, CultureInfo.InvariantCulture),
            PostgresBinaries.MinimumMajorVersion,
            99
        );
    }

    [Fact]
    public void Without_binaries_Locate_says_how_to_install_PostgreSQL_or_point_at_a_server()
    {
        var failure = Assert.Throws<LocalPostgresException>(() => PostgresBinaries.Locate(found: null));

        Assert.Contains("install PostgreSQL", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__Ledger", failure.Message, StringComparison.Ordinal);
        Assert.Contains("docker compose", failure.Message, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\(PostgreSQL\) (\d+)")]
    private static partial Regex MajorVersion();
}
