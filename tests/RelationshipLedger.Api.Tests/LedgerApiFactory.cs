using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using RelationshipLedger.Api.Security;

namespace RelationshipLedger.Api.Tests;

/// <summary>The API's real pipeline in memory, configured through the same settings an operator uses.</summary>
public sealed class LedgerApiFactory(IReadOnlyDictionary<string, string> settings) : WebApplicationFactory<Program>
{
    /// <summary>The API against an external database given by connection string.</summary>
    public static LedgerApiFactory WithDatabase(string connectionString) =>
        new(new Dictionary<string, string> { ["ConnectionStrings:Ledger"] = connectionString });

    /// <summary>The API against an external database, admitting <paramref name="bootstrapKey"/> with every role.</summary>
    public static LedgerApiFactory WithDatabase(string connectionString, string bootstrapKey) =>
        new(
            new Dictionary<string, string>
            {
                ["ConnectionStrings:Ledger"] = connectionString,
                [BootstrapKey.Setting] = bootstrapKey,
            }
        );

    /// <summary>The API with no connection string: it starts the embedded cluster in <paramref name="dataDirectory"/>.</summary>
    public static LedgerApiFactory WithEmbeddedCluster(string dataDirectory) =>
        new(new Dictionary<string, string> { ["ConnectionStrings:Ledger"] = "", ["LEDGER_DATA_DIR"] = dataDirectory });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        // The suite sends many requests with one key; the rate-limit tests turn the limiter on with tiny limits.
        builder.UseSetting("RateLimiting:Enabled", "false");
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
    }
}
