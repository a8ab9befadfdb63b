using System.Text.Json;
using System.Text.Json.Serialization;

namespace RelationshipLedger.Application.Feed;

/// <summary>
/// A JSON value as the log holds it (an event's payload or metadata, the text of its jsonb), written into
/// an answer as it is: checked by the writer, not parsed into a document and written out again. A feed
/// page carries a hundred payloads, and the parse and the second write were most of what it cost to answer.
/// </summary>
[JsonConverter(typeof(StoredJsonConverter))]
public readonly record struct StoredJson(string Text)
{
    /// <summary>The value as a <see cref="JsonElement"/>, for a reader that needs one.</summary>
    public JsonElement Parse() => JsonElement.Parse(Text);

    public override string ToString() => Text;
}

/// <summary>Writes a <see cref="StoredJson"/> as the JSON value it holds, and reads any JSON value into one.</summary>
internal sealed class StoredJsonConverter : JsonConverter<StoredJson>
{
    public override StoredJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return new StoredJson(document.RootElement.GetRawText());
    }

    public override void Write(Utf8JsonWriter writer, StoredJson value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteRawValue(value.Text);
    }
}
