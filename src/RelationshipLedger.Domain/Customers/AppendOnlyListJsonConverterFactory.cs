using System.Text.Json;
using System.Text.Json.Serialization;

namespace RelationshipLedger.Domain.Customers;

/// <summary>Reads and writes an <see cref="AppendOnlyList{T}"/> as a JSON array, as any list is.</summary>
public sealed class AppendOnlyListJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(AppendOnlyList<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(typeToConvert);
        var itemType = typeToConvert.GetGenericArguments()[0];
        return (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(itemType))!;
    }

    private sealed class Converter<T> : JsonConverter<AppendOnlyList<T>>
    {
        public override AppendOnlyList<T> Read(
            ref Utf8JsonReader reader,
            Type typeToConvert,
            JsonSerializerOptions options
        )
        {
            var items = JsonSerializer.Deserialize<T[]>(ref reader, options) ?? [];
            return [.. items];
        }

        public override void Write(Utf8JsonWriter writer, AppendOnlyList<T> value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            foreach (var item in value)
                JsonSerializer.Serialize(writer, item, options);
            writer.WriteEndArray();
        }
    }
}
