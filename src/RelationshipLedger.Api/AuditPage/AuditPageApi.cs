using System.Collections.Frozen;
using System.Reflection;
using RelationshipLedger.Api.Http;

namespace RelationshipLedger.Api.AuditPage;

/// <summary>
/// <c>GET /audit</c>: the auditor's timeline page — static HTML, CSS and JavaScript embedded in this
/// assembly, so it works without network access. The files need no key; every call the page makes
/// for data sends the key the auditor types in.
/// </summary>
public static class AuditPageApi
{
    private const string ResourcePrefix = "AuditPage/";
    private const string IndexFile = "index.html";

    // Only this origin's scripts and styles run; the page is never framed.
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, string> MediaTypes = new Dictionary<string, string>(
        StringComparer.Ordinal
    )
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary();

    private static readonly Lazy<FrozenDictionary<string, byte[]>> Assets = new(LoadAssets);

    public static IEndpointRouteBuilder MapAuditPage(this IEndpointRouteBuilder endpoints)
    {
        var page = endpoints.MapGroup("/audit").AllowAnonymous().ExcludeFromDescription();
        page.MapGet("/", (HttpContext http) => Serve(http, IndexFile));
        page.MapGet("/{file}", (HttpContext http, string file) => Serve(http, file));
        return endpoints;
    }

    /// <summary>The names of the page's files, as served under <c>/audit/</c>.</summary>
    public static IReadOnlyCollection<string> FileNames => Assets.Value.Keys;

    private static IResult Serve(HttpContext http, string file)
    {
        if (!Assets.Value.TryGetValue(file, out var content))
            return Problems.Problem(
                StatusCodes.Status404NotFound,
                "Not found.",
                Problems.CodeFor(StatusCodes.Status404NotFound),
                $"The audit page has no file '{file}'."
            );
        var headers = http.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Bytes(content, MediaTypes[Path.GetExtension(file)]);
    }

    private static FrozenDictionary<string, byte[]> LoadAssets()
    {
        var assembly = typeof(AuditPageApi).Assembly;
        return assembly
            .GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Where(name => MediaTypes.ContainsKey(Path.GetExtension(name)))
            .ToFrozenDictionary(
                name => name[ResourcePrefix.Length..],
                name => Read(assembly, name),
                StringComparer.Ordinal
            );
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream =
            assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource '{name}' is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
