using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using RelationshipLedger.Api.Http;
using RelationshipLedger.Application.Security;

namespace RelationshipLedger.Api.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Api-Key: &lt;key&gt;</c> against the
/// hashed keys; the key's name becomes the principal (and each event's actor), its roles the role claims.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyStore keys,
    IProblemDetailsService problems
) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (PresentedKey(Request) is not { } presented)
            return AuthenticateResult.NoResult();
        var principal = await keys.AuthenticateAsync(presented, Context.RequestAborted);
        if (principal is null)
            return AuthenticateResult.Fail("The API key is unknown or revoked.");
        var claims = principal
            .Roles.Select(role => new Claim(ClaimTypes.Role, role))
            .Prepend(new Claim(ClaimTypes.Name, principal.Name));
        var identity = new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await WriteProblemAsync(
            "Authentication required.",
            "unauthenticated",
            "Send an API key: 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'."
        );
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await WriteProblemAsync("Forbidden.", "forbidden", "This API key does not have the role this route needs.");
    }

    private async Task WriteProblemAsync(string title, string code, string detail) =>
        await problems.WriteAsync(
            new ProblemDetailsContext
            {
                HttpContext = Context,
                ProblemDetails =
                {
                    Status = Response.StatusCode,
                    Title = title,
                    Detail = detail,
                    Extensions = { ["code"] = code },
                },
            }
        );

    private static string? PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return authorization["Bearer ".Length..].Trim() is { Length: > 0 } bearer ? bearer : null;
        return request.Headers["X-Api-Key"].ToString() is { Length: > 0 } key ? key.Trim() : null;
    }
}

/// <summary>The authorization policies: one per role of shared/design.md §5.</summary>
public static class Policies
{
    public static IServiceCollection AddLedgerSecurity(this IServiceCollection services)
    {
        services
            .AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(
                ApiKeyAuthenticationHandler.SchemeName,
                null
            );
        var authorization = services.AddAuthorizationBuilder();
        foreach (var role in Roles.All)
            authorization.AddPolicy(role, policy => policy.RequireRole(role));
        return services;
    }

    /// <summary>The principal's name, recorded as the actor of what it appends.</summary>
    public static string ActorOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.Name ?? throw new InvalidOperationException("An authenticated principal has no name.");
    }
}
