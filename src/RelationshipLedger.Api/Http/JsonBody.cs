using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Features;

namespace RelationshipLedger.Api.Http;

/// <summary>A request body read and parsed, or the problem that stops it (400, 413, 415).</summary>
public sealed record BodyRead<T>(T? Value, byte[] Bytes, IResult? Problem)
    where T : class;

/// <summary>
/// Reads JSON request bodies strictly: the content type must be JSON, the size is bounded, unknown
/// fields, numbers for enums and malformed text are refused with the path at fault — never a 500.
/// </summary>
public static class JsonBody
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Reads the body as <typeparamref name="T"/>; more than <paramref name="maxBytes"/> is a 413.</summary>
    public static async Task<BodyRead<T>> ReadAsync<T>(
        HttpRequest request,
        int maxBytes,
        CancellationToken cancellationToken
    )
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsJson(request.ContentType))
            return Fail<T>(Problems.UnsupportedMediaType("Send the command as application/json."));
        if (request.ContentLength > maxBytes)
            return Fail<T>(Problems.TooLarge(maxBytes));

        byte[] bytes;
        try
        {
            bytes = await ReadBoundedAsync(request, maxBytes, cancellationToken);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Fail<T>(Problems.TooLarge(maxBytes));
        }
        if (bytes.Length > maxBytes)
            return Fail<T>(Problems.TooLarge(maxBytes));

        try
        {
            var value = JsonSerializer.Deserialize<T>(bytes, Options);
            return value is null
                ? Fail<T>(Problems.Invalid("body", "must be a JSON object."))
                : new BodyRead<T>(value, bytes, null);
        }
        catch (JsonException exception)
        {
            var field =
                string.IsNullOrEmpty(exception.Path) || exception.Path == "$"
                    ? "body"
                    : exception.Path.TrimStart('$', '.');
            return Fail<T>(Problems.Invalid(field, Describe(exception)));
        }
    }

    public static bool IsJson(string? contentType) =>
        contentType is not null
        && (
            contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || contentType.Split(';')[0].EndsWith("+json", StringComparison.OrdinalIgnoreCase)
        );

    private static async Task<byte[]> ReadBoundedAsync(
        HttpRequest request,
        int limit,
        CancellationToken cancellationToken
    )
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
            sizeFeature.MaxRequestBodySize = limit + 1;
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
                break;
        }
        return buffer.ToArray();
    }

    private static string Describe(JsonException exception) =>
        exception.Message.Contains("could not be mapped", StringComparison.Ordinal) ? "is not a field of this command."
        : exception.Message.Contains("maximum configured depth", StringComparison.Ordinal) ? "is nested too deeply."
        : exception.Path is null or "$" ? "is not well-formed JSON (or not UTF-8)."
        : "has the wrong type or format.";

    private static BodyRead<T> Fail<T>(IResult problem)
        where T : class => new(null, [], problem);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            MaxDepth = 16,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
        options.Converters.Add(new InstantWithOffsetConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>
    /// An instant in a command names its offset (<c>2026-03-01T09:00:00Z</c>): without one, the
    /// server's time zone would decide which instant the ledger records, forever.
    /// </summary>
    private sealed class InstantWithOffsetConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(
            ref Utf8JsonReader reader,
            Type typeToConvert,
            JsonSerializerOptions options
        )
        {
            if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var instant))
                throw new JsonException();
            var text = reader.GetString()!;
            var time = text.IndexOfAny(['T', 't']);
            var hasOffset =
                time > 0 && (text.EndsWith('Z') || text.EndsWith('z') || text.IndexOfAny(['+', '-'], time) > 0);
            return hasOffset ? instant : throw new JsonException();
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WriteStringValue(value);
        }
    }
}
