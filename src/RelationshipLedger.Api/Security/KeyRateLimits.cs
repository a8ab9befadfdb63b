using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace RelationshipLedger.Api.Security;

/// <summary>
/// The <c>RateLimiting</c> settings: a token bucket per API key (per remote address for requests without a
/// known key) holding <see cref="Burst"/> requests and refilled at <see cref="PermitsPerSecond"/>.
/// </summary>
public sealed class KeyRateLimits
{
    public const string Section = "RateLimiting";

    public bool Enabled { get; set; } = true;

    /// <summary>The sustained rate; below 1 (e.g. 0.1) a request every 1/rate seconds.</summary>
    public double PermitsPerSecond { get; set; } = 1000;

    /// <summary>How many requests a quiet key may send at once.</summary>
    public int Burst { get; set; } = 2000;

    public TokenBucketRateLimiterOptions BucketOptions() =>
        PermitsPerSecond >= 1
            ? Bucket((int)Math.Round(PermitsPerSecond), TimeSpan.FromSeconds(1))
            : Bucket(1, TimeSpan.FromSeconds(1 / PermitsPerSecond));

    private TokenBucketRateLimiterOptions Bucket(int tokensPerPeriod, TimeSpan period) =>
        new()
        {
            TokenLimit = Burst,
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
}

/// <summary>Per-key rate limiting: over the limit a request is a 429 problem with <c>Retry-After</c>, and does nothing.</summary>
public static class KeyRateLimiting
{
    public static IServiceCollection AddKeyRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services
            .AddOptions<KeyRateLimits>()
            .Bind(configuration.GetSection(KeyRateLimits.Section))
            .Validate(
                limits => limits.PermitsPerSecond > 0 && limits.Burst >= 1,
                "RateLimiting:PermitsPerSecond must be positive and RateLimiting:Burst at least 1."
            )
            .ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services
            .AddOptions<RateLimiterOptions>()
            .Configure<IOptions<KeyRateLimits>>(
                (options, limits) =>
                {
                    var settings = limits.Value;
                    options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
                    options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                        settings.Enabled
                            ? RateLimitPartition.GetTokenBucketLimiter(
                                PartitionOf(context),
                                _ => settings.BucketOptions()
                            )
                            : RateLimitPartition.GetNoLimiter("unlimited")
                    );
                    options.OnRejected = (context, _) => RejectAsync(context, settings);
                }
            );
        return services;
    }

    /// <summary>The authenticated key's name; the remote address when no known key was sent.</summary>
    public static string PartitionOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.User.Identity is { IsAuthenticated: true, Name: { } name }
            ? $"key:{name}"
            : $"address:{context.Connection.RemoteIpAddress}";
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, KeyRateLimits settings)
    {
        var http = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
            ? Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds))
            : 1;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(
            new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails =
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = "Too many requests.",
                    Detail =
                        $"A key (or, without a known key, an address) may send {settings.Burst} requests at once and "
                        + $"{settings.PermitsPerSecond.ToString(CultureInfo.InvariantCulture)} a second. "
                        + $"Retry after {retryAfter} s.",
                    Extensions = { ["code"] = "rate-limited", ["retryAfterSeconds"] = retryAfter },
                },
            }
        );
    }
}
