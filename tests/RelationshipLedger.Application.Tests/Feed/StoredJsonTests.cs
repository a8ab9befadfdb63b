using System.Text.Json;
using RelationshipLedger.Application.Feed;

namespace RelationshipLedger.Application.Tests.Feed;

/// <summary>An event's stored payload is written into answers as the JSON value it is, never as a string, and never broken.</summary>
public sealed class StoredJsonTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public void A_stored_payload_is_written_as_the_json_value_it_holds()
    {
        var holder = new
        {
            data = new StoredJson("""{"name": "Harbour \u00e9", "amount": 12.50, "tags": [1, null]}"""),
        };

        var written = JsonSerializer.Serialize(holder, Web);

        using var document = JsonDocument.Parse(written);
        var data = document.RootElement.GetProperty("data");
        Assert.Equal(JsonValueKind.Object, data.ValueKind);
        Assert.Equal("Harbour é", data.GetProperty("name").GetString());
        Assert.Equal("12.50", data.GetProperty("amount").GetRawText());
        Assert.Equal(2, data.GetProperty("tags").GetArrayLength());
    }

    [Fact]
    public void Any_json_value_reads_back_into_stored_json()
    {
        var read = JsonSerializer.Deserialize<Dictionary<string, StoredJson>>(
            """{"object": {"a": [1, 2]}, "text": "x", "number": 7}""",
            Web
        )!;

        Assert.Equal("""{"a": [1, 2]}""", read["object"].Text);
        Assert.Equal("\"x\"", read["text"].Text);
        Assert.Equal(7, read["number"].Parse().GetInt32());
    }

    [Fact]
    public void Text_that_is_not_json_is_refused_rather_than_written()
    {
        var broken = new { data = new StoredJson("""{"name": "unterminated""") };

        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Serialize(broken, Web));
    }
}
