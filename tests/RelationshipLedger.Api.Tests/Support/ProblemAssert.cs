using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace RelationshipLedger.Api.Tests.Support;

/// <summary>Checks that an answer is an RFC 9457 problem as shared/api.md promises: media type, status and a stable code.</summary>
public static class ProblemAssert
{
    public const string MediaType = "application/problem+json";

    public static async Task<JsonElement> IsProblemAsync(
        HttpResponseMessage response,
        HttpStatusCode status,
        string code
    )
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal(MediaType, response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(text);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }

    /// <summary>A 400 <c>invalid-input</c> whose <c>errors</c> name <paramref name="field"/> with a message.</summary>
    public static async Task<JsonElement> HasFieldErrorAsync(HttpResponseMessage response, string field)
    {
        var problem = await IsProblemAsync(response, HttpStatusCode.BadRequest, "invalid-input");
        var errors = problem.GetProperty("errors");
        Assert.True(
            errors.TryGetProperty(field, out var messages),
            $"Expected a field error for '{field}', got {errors.GetRawText()}"
        );
        Assert.Contains(messages.EnumerateArray(), m => !string.IsNullOrWhiteSpace(m.GetString()));
        return problem;
    }

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
