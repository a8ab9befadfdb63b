using System.Security.Cryptography;
using RelationshipLedger.Api.Hosting;

namespace RelationshipLedger.Api.Security;

/// <summary>
/// LEDGER_BOOTSTRAP_KEY: a key admitted with every role, for automation and first use. In
/// Development, when it is unset, one is made and kept in the data directory (and the log says where).
/// </summary>
public static class BootstrapKey
{
    public const string Setting = "LEDGER_BOOTSTRAP_KEY";
    public const string FileName = "bootstrap.key";

    /// <summary>The key, and the file it was generated into (Development only), or nulls.</summary>
    public static (string? Key, string? GeneratedFile) Resolve(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Configuration[Setting] is { Length: > 0 } configured)
            return (configured, null);
        if (!builder.Environment.IsDevelopment())
            return (null, null);
        var directory = Path.GetFullPath(
            builder.Configuration[LedgerStorage.DataDirectorySetting] is { Length: > 0 } d ? d : ".ledger"
        );
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options);
            writer.Write("rlk_dev_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));
        }
        return (File.ReadAllText(path).Trim(), path);
    }
}
