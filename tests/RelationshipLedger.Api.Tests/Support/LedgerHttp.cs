using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace RelationshipLedger.Api.Tests.Support;

/// <summary>The answer to an accepted command, as the API's body gives it.</summary>
public sealed record CommandAnswer(string CustomerId, long Version, Guid[] EventIds);

/// <summary>Requests to the ledger as a client writes them: JSON bodies, the command headers, and checked answers.</summary>
public static class LedgerHttp
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Serialize(object body) => JsonSerializer.Serialize(body, Json);

    /// <summary>POSTs <paramref name="body"/> as JSON (with a Content-Length), with the optional command headers.</summary>
    public static Task<HttpResponseMessage> PostJsonAsync(
        this HttpClient client,
        string path,
        object body,
        string? idempotencyKey = null,
        string? ifMatch = null
    ) => client.PostTextAsync(path, Serialize(body), "application/json", idempotencyKey, ifMatch);

    /// <summary>POSTs <paramref name="text"/> verbatim with the given media type.</summary>
    public static Task<HttpResponseMessage> PostTextAsync(
        this HttpClient client,
        string path,
        string text,
        string mediaType = "application/json",
        string? idempotencyKey = null,
        string? ifMatch = null
    ) => client.PostContentAsync(path, new StringContent(text, Encoding.UTF8, mediaType), idempotencyKey, ifMatch);

    public static async Task<HttpResponseMessage> PostContentAsync(
        this HttpClient client,
        string path,
        HttpContent content,
        string? idempotencyKey = null,
        string? ifMatch = null
    )
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request);
    }

    /// <summary>Runs a command that must succeed (200, or 201 for a registration) and returns its answer.</summary>
    public static async Task<CommandAnswer> CommandAsync(this HttpClient client, string path, object body)
    {
        var response = await client.PostJsonAsync(path, body);
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Created))
            Assert.Fail(
                $"POST {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}"
            );
        return (await response.Content.ReadFromJsonAsync<CommandAnswer>(Json))!;
    }

    /// <summary>Registers an organisation; <paramref name="at"/> is its business time (now when null).</summary>
    public static Task<CommandAnswer> RegisterAsync(
        this HttpClient client,
        string customerId,
        DateTimeOffset? at = null,
        string? ownerId = null,
        string name = "Harbour Logistics"
    ) =>
        client.CommandAsync(
            "/customers",
            new
            {
                customerId,
                name,
                kind = "Organization",
                ownerId,
                occurredAt = at,
            }
        );

    /// <summary>GETs <paramref name="path"/>, which must answer 200, as JSON.</summary>
    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        ArgumentNullException.ThrowIfNull(client);
        var response = await client.GetAsync(path);
        if (response.StatusCode != HttpStatusCode.OK)
            Assert.Fail(
                $"GET {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}"
            );
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The customer's raw stream (needs the auditor role).</summary>
    public static async Task<JsonElement[]> EventsAsync(this HttpClient client, string customerId, string query = "") =>
        [.. (await client.GetJsonAsync($"/customers/{customerId}/events{query}")).EnumerateArray()];

    /// <summary>An instant as a query-string value.</summary>
    public static string Query(DateTimeOffset instant) => Uri.EscapeDataString(instant.ToString("O"));

    /// <summary>A unique customer id with a readable prefix, so every test writes to streams of its own.</summary>
    public static string NewCustomerId(string prefix) =>
        $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(64, prefix.Length + 13)];
}
