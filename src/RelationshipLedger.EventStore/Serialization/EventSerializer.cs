using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using RelationshipLedger.EventStore.Protection;

namespace RelationshipLedger.EventStore.Serialization;

/// <summary>
/// System.Text.Json for payloads and metadata: camelCase, enums as strings, nulls omitted. With a
/// <see cref="Protection"/>, the store encrypts the protected fields of payloads it appends and reveals
/// them when it reads (Protection/PayloadProtection).
/// </summary>
public sealed class EventSerializer(
    EventTypeMap types,
    JsonSerializerOptions? options = null,
    PayloadProtection? protection = null
)
{
    public PayloadProtection? Protection { get; } = protection;

    /// <summary>A payload as stored, with its protected fields revealed under <paramref name="key"/>.</summary>
    public string Reveal(string streamId, string type, string storedJson, StreamKey key) =>
        Protection is null ? storedJson : Protection.Reveal(streamId, type, storedJson, key);

    public static JsonSerializerOptions DefaultOptions { get; } = CreateDefaultOptions();

    public JsonSerializerOptions Options { get; } = options ?? DefaultOptions;

    public EventTypeMap Types { get; } = types;

    public (string Type, string Json) Serialize(object data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data is UnknownEvent unknown)
            return (unknown.Type, unknown.Data.GetRawText());
        return (Types.NameOf(data.GetType()), JsonSerializer.Serialize(data, data.GetType(), Options));
    }

    /// <summary>The payload as its registered type (after upcasting), or an <see cref="UnknownEvent"/>.</summary>
    public object Deserialize(string type, string json) => Deserialize(type, json, Options);

    /// <summary>
    /// A payload from outside the ledger (an import), read strictly: a member its type does not have, a
    /// required member left out, a null where the type allows none, a number given as a string or an enum
    /// given as a number is a <see cref="JsonException"/> — as in a command's body.
    /// <see cref="Deserialize(string, string)"/> reads what the ledger itself stored, and stays lenient so
    /// that old payloads still read.
    /// </summary>
    public object DeserializeForeign(string type, string json) =>
        Deserialize(type, json, _strictOptions ??= CreateStrictOptions(Options));

    private JsonSerializerOptions? _strictOptions;

    private object Deserialize(string type, string json, JsonSerializerOptions options)
    {
        if (Types.Upcast(type, () => PayloadObject(type, json)) is { } upcast)
        {
            type = upcast.Type;
            json = upcast.Payload.ToJsonString();
        }
        if (Types.TypeOf(type) is { } clrType)
            return JsonSerializer.Deserialize(json, clrType, options)
                ?? throw new JsonException($"Event of type '{type}' has a null payload.");
        using var document = JsonDocument.Parse(json);
        return new UnknownEvent(type, document.RootElement.Clone());
    }

    /// <summary>The payload as a JSON object for the upcasters; anything else is a <see cref="JsonException"/>, as for a registered type.</summary>
    private static JsonObject PayloadObject(string type, string json) =>
        JsonNode.Parse(json) as JsonObject
        ?? throw new JsonException($"The payload of an event of type '{type}' must be a JSON object.");

    public string SerializeMetadata(EventMetadata metadata) => JsonSerializer.Serialize(metadata, Options);

    public EventMetadata DeserializeMetadata(string json) =>
        JsonSerializer.Deserialize<EventMetadata>(json, Options) ?? EventMetadata.Empty;

    public EventEnvelope Envelope(RecordedEvent recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        return new(recorded, Deserialize(recorded.Type, recorded.Data), DeserializeMetadata(recorded.Metadata));
    }

    private static JsonSerializerOptions CreateStrictOptions(JsonSerializerOptions lenient)
    {
        var strict = new JsonSerializerOptions(lenient)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectRequiredConstructorParameters = true,
            RespectNullableAnnotations = true,
            NumberHandling = JsonNumberHandling.Strict,
        };
        for (var i = 0; i < strict.Converters.Count; i++)
        {
            if (strict.Converters[i] is JsonStringEnumConverter)
                strict.Converters[i] = new JsonStringEnumConverter(allowIntegerValues: false);
        }
        strict.MakeReadOnly(populateMissingResolver: true);
        return strict;
    }

    private static JsonSerializerOptions CreateDefaultOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
