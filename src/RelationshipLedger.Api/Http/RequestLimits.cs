namespace RelationshipLedger.Api.Http;

/// <summary>
/// The <c>RequestLimits</c> settings: the largest body a command may send, and the largest import. A larger
/// body is a 413 problem and appends nothing.
/// </summary>
public sealed class RequestLimits
{
    public const string Section = "RequestLimits";

    /// <summary>A command is a few fields; 64 KiB leaves room for long notes and reasons.</summary>
    public int MaxCommandBytes { get; set; } = 64 * 1024;

    /// <summary>Years of history for many customers: far more than a command, still bounded.</summary>
    public long MaxImportBytes { get; set; } = 1L << 30;

    public static void AddRequestLimits(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        services
            .AddOptions<RequestLimits>()
            .Bind(configuration.GetSection(Section))
            .Validate(
                limits => limits.MaxCommandBytes > 0 && limits.MaxImportBytes > 0,
                "RequestLimits:MaxCommandBytes and RequestLimits:MaxImportBytes must be positive."
            )
            .ValidateOnStart();
    }
}
