using System.Text.Json.Nodes;
using RelationshipLedger.EventStore.Protection;

namespace RelationshipLedger.EventStore.Tests.Protection;

/// <summary>The field cipher alone: what is encrypted, what reveals, what reads as erased.</summary>
public sealed class PayloadProtectionTests
{
    private static readonly PayloadProtection Protection = new(
        new Dictionary<string, IReadOnlyList<ProtectedField>>
        {
            ["Profile"] = [new(["person", "name"], "[erased]"), new(["person", "birthday"], null)],
        }
    );

    private const string Plain = """{"person":{"name":"Zoë \"Z\" Müller","birthday":"1980-05-01"},"tier":"Gold"}""";

    private static StreamKey LiveKey() => new(PayloadProtection.NewKey(), Erased: false);

    [Fact]
    public void Protected_fields_are_stored_as_envelopes_and_the_rest_in_the_clear()
    {
        var stored = Protection.Protect("acme", "Profile", Plain, LiveKey());

        var node = JsonNode.Parse(stored)!;
        Assert.StartsWith(PayloadProtection.EnvelopePrefix, node["person"]!["name"]!.GetValue<string>());
        Assert.StartsWith(PayloadProtection.EnvelopePrefix, node["person"]!["birthday"]!.GetValue<string>());
        Assert.Equal("Gold", node["tier"]!.GetValue<string>());
        Assert.DoesNotContain("Müller", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("1980-05-01", stored, StringComparison.Ordinal);
    }

    [Fact]
    public void The_key_reveals_every_field_as_it_was()
    {
        var key = LiveKey();

        var revealed = Protection.Reveal("acme", "Profile", Protection.Protect("acme", "Profile", Plain, key), key);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Plain), JsonNode.Parse(revealed)));
        Assert.Contains("Zoë", revealed, StringComparison.Ordinal);
    }

    [Fact]
    public void Once_the_key_is_erased_the_fields_read_as_erased_and_the_business_fields_remain()
    {
        var stored = Protection.Protect("acme", "Profile", Plain, LiveKey());

        var revealed = JsonNode.Parse(Protection.Reveal("acme", "Profile", stored, new StreamKey(null, Erased: true)))!;

        Assert.Equal("[erased]", revealed["person"]!["name"]!.GetValue<string>());
        Assert.Null(revealed["person"]!["birthday"]);
        Assert.Equal("Gold", revealed["tier"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("other-stream", "Profile")]
    [InlineData("acme", "OtherType")]
    public void A_ciphertext_moved_to_another_stream_or_event_type_does_not_decrypt(string streamId, string type)
    {
        var key = LiveKey();
        var stored = Protection.Protect("acme", "Profile", Plain, key);
        var moved = new PayloadProtection(
            new Dictionary<string, IReadOnlyList<ProtectedField>>
            {
                [type] = [new(["person", "name"], "[erased]"), new(["person", "birthday"], null)],
            }
        );

        var revealed = JsonNode.Parse(moved.Reveal(streamId, type, stored, key))!;

        Assert.Equal("[erased]", revealed["person"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Another_key_does_not_open_the_fields()
    {
        var stored = Protection.Protect("acme", "Profile", Plain, LiveKey());

        var revealed = JsonNode.Parse(Protection.Reveal("acme", "Profile", stored, LiveKey()))!;

        Assert.Equal("[erased]", revealed["person"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Fields_stored_in_the_clear_before_protection_read_as_they_are_until_the_key_is_erased()
    {
        Assert.Equal(Plain, Protection.Reveal("acme", "Profile", Plain, StreamKey.None));
        Assert.Equal(Plain, Protection.Reveal("acme", "Profile", Plain, LiveKey()));

        var erased = JsonNode.Parse(Protection.Reveal("acme", "Profile", Plain, new StreamKey(null, Erased: true)))!;

        Assert.Equal("[erased]", erased["person"]!["name"]!.GetValue<string>());
        Assert.Null(erased["person"]!["birthday"]);
    }

    [Fact]
    public void A_new_value_for_an_erased_stream_is_refused_and_a_payload_without_one_passes()
    {
        var erased = new StreamKey(null, Erased: true);

        var refused = Assert.Throws<StreamErasedException>(() => Protection.Protect("acme", "Profile", Plain, erased));
        Assert.Equal("person.name", refused.Field);
        Assert.Equal("""{"tier":"Gold"}""", Protection.Protect("acme", "Profile", """{"tier":"Gold"}""", erased));
        Assert.Equal(Plain, Protection.Protect("acme", "Unprotected", Plain, erased));
    }

    [Fact]
    public void Reveal_keeps_the_stored_text_form_around_the_replaced_fields()
    {
        var key = LiveKey();
        var stored = JsonNode.Parse(Protection.Protect("acme", "Profile", Plain, key))!;
        // jsonb's text form: a space after each colon and comma.
        var name = stored["person"]!["name"]!.GetValue<string>();
        var birthday = stored["person"]!["birthday"]!.GetValue<string>();
        var jsonbText =
            "{\"tier\": \"Gold\", \"person\": {\"name\": \"" + name + "\", \"birthday\": \"" + birthday + "\"}}";

        Assert.Equal(
            """{"tier": "Gold", "person": {"name": "Zoë \"Z\" Müller", "birthday": "1980-05-01"}}""",
            Protection.Reveal("acme", "Profile", jsonbText, key)
        );
        Assert.Equal(
            """{"tier": "Gold", "person": {"name": "[erased]", "birthday": null}}""",
            Protection.Reveal("acme", "Profile", jsonbText, new StreamKey(null, Erased: true))
        );
    }
}
