using System.Text.Json;
using System.Text.Json.Serialization;

namespace RelationshipLedger.Application;

/// <summary>How read-model documents are written: camelCase, enums by name, nulls kept (the API contract lists them).</summary>
public static class ReadModelJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
