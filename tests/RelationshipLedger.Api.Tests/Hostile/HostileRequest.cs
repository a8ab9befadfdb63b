using System.Text;

namespace RelationshipLedger.Api.Tests.Hostile;

/// <summary>One generated request: what it attacks (for the failure message), and the request itself.</summary>
public sealed record HostileRequest(
    int Number,
    string Attack,
    string Method,
    string Path,
    byte[]? Body,
    string? MediaType,
    IReadOnlyList<KeyValuePair<string, string>> Headers
)
{
    public HttpRequestMessage ToHttp()
    {
        var request = new HttpRequestMessage(new HttpMethod(Method), Path);
        if (Body is not null)
        {
            request.Content = new ByteArrayContent(Body);
            if (MediaType is not null)
                request.Content.Headers.TryAddWithoutValidation("Content-Type", MediaType);
        }
        foreach (var (name, value) in Headers)
            request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    public override string ToString()
    {
        var body = Body is null ? "(no body)" : Encoding.UTF8.GetString(Body);
        if (body.Length > 300)
            body = $"{body[..300]}… ({Body!.Length} bytes)";
        var headers = string.Concat(Headers.Select(h => $" [{h.Key}: {Shorten(h.Value)}]"));
        return $"#{Number} {Attack}: {Method} {Path} ({MediaType ?? "no media type"}){headers} {body}";
    }

    private static string Shorten(string value) => value.Length > 40 ? $"{value[..40]}…" : value;
}
