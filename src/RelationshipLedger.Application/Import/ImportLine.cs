using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RelationshipLedger.Application.Import;

/// <summary>One NDJSON line: <c>{ customerId, type, occurredAt, data, eventId? }</c>.</summary>
internal sealed record ImportLine(
    int Number,
    string CustomerId,
    string Type,
    DateTimeOffset OccurredAt,
    string Data,
    Guid EventId
)
{
    private static readonly HashSet<string> Fields = new(
        ["customerId", "type", "occurredAt", "data", "eventId"],
        StringComparer.Ordinal
    );

    /// <summary>Parses line <paramref name="number"/>, or says what is wrong with it.</summary>
    public static (ImportLine? Line, string? CustomerId, string? Problem) Parse(int number, string text)
    {
        JsonObject line;
        try
        {
            line =
                JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 16 }) as JsonObject
                ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            return (null, null, "The line is not a JSON object.");
        }
        var customerId = Text(line, "customerId");
        if (line.Select(p => p.Key).FirstOrDefault(k => !Fields.Contains(k)) is { } unknown)
            return (null, customerId, $"'{unknown}' is not a field of an import line.");
        if (!Customers.CustomerId.IsValid(customerId))
            return (null, customerId, $"customerId is {Customers.CustomerId.Rule}.");
        if (Text(line, "type") is not { Length: > 0 } type)
            return (null, customerId, "type is required.");
        if (Text(line, "occurredAt") is not { } occurredText || !IsoInstant.TryParse(occurredText, out var occurredAt))
            return (null, customerId, $"occurredAt is required: {IsoInstant.Expected}.");
        if (line["data"] is not JsonObject data)
            return (null, customerId, "data is required: the event's payload as an object.");
        Guid eventId;
        if (line["eventId"] is null)
            eventId = DerivedEventId(customerId, type, occurredAt, data);
        else if (!Guid.TryParse(Text(line, "eventId"), out eventId))
            return (null, customerId, "eventId is not a UUID.");
        return (new ImportLine(number, customerId, type, occurredAt, data.ToJsonString(), eventId), customerId, null);
    }

    /// <summary>
    /// An event id made from the line's content (a name-based UUID, version 8), so importing the same
    /// file twice finds every event already there and appends nothing.
    /// </summary>
    private static Guid DerivedEventId(string customerId, string type, DateTimeOffset occurredAt, JsonObject data)
    {
        var content = $"{customerId}\n{type}\n{occurredAt.UtcTicks}\n{data.ToJsonString()}";
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(content)).AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    private static string? Text(JsonObject line, string field) =>
        line[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
