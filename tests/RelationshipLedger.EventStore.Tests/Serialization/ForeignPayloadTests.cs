using System.Text.Json;
using System.Text.Json.Nodes;
using RelationshipLedger.EventStore.Serialization;

namespace RelationshipLedger.EventStore.Tests.Serialization;

public enum Channel
{
    Phone,
    Email,
}

public sealed record ContactLogged(string ContactId, Channel Channel, decimal? Cost = null);

/// <summary>A payload from outside the ledger (an import) is read strictly; what the ledger stored, leniently.</summary>
public sealed class ForeignPayloadTests
{
    private static readonly EventSerializer Serializer = new(
        new EventTypeMap().Register<ContactLogged>("ContactLogged")
    );

    [Theory]
    [InlineData("""{"contactId":"k-1","channel":"Phone","discount":5}""")] // a member the event does not have
    [InlineData("""{"channel":"Phone"}""")] // a required member left out
    [InlineData("""{"contactId":null,"channel":"Phone"}""")] // null where none is allowed
    [InlineData("""{"contactId":"k-1","channel":0}""")] // an enum as a number
    [InlineData("""{"contactId":"k-1","channel":"Phone","cost":"12.5"}""")] // a number as a string
    public void A_foreign_payload_that_a_command_body_would_refuse_is_refused_though_a_stored_one_reads(string json)
    {
        Assert.ThrowsAny<JsonException>(() => Serializer.DeserializeForeign("ContactLogged", json));
        Assert.IsType<ContactLogged>(Serializer.Deserialize("ContactLogged", json));
    }

    /// <summary>The same type in an older shape: "id" and "via" became "contactId" and "channel".</summary>
    private static readonly EventSerializer Upcasting = new(
        new EventTypeMap()
            .Register<ContactLogged>("ContactLogged")
            .RegisterUpcaster(
                "ContactLogged.v1",
                "ContactLogged",
                v1 => new JsonObject { ["contactId"] = v1["id"]?.DeepClone(), ["channel"] = v1["via"]?.DeepClone() }
            )
    );

    [Fact]
    public void A_foreign_payload_of_an_older_shape_is_upcast_and_then_read_strictly()
    {
        Assert.Equal(
            new ContactLogged("k-1", Channel.Phone),
            Upcasting.DeserializeForeign("ContactLogged.v1", """{"id":"k-1","via":"Phone"}""")
        );
        // After the upcast an enum given as a number is still refused from outside, and still read when stored.
        Assert.ThrowsAny<JsonException>(() =>
            Upcasting.DeserializeForeign("ContactLogged.v1", """{"id":"k-1","via":0}""")
        );
        Assert.IsType<ContactLogged>(Upcasting.Deserialize("ContactLogged.v1", """{"id":"k-1","via":0}"""));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[1]")]
    [InlineData("\"k-1\"")]
    [InlineData("{\"id\":")]
    public void A_payload_of_an_older_shape_that_is_not_a_json_object_is_a_json_error(string json)
    {
        Assert.ThrowsAny<JsonException>(() => Upcasting.DeserializeForeign("ContactLogged.v1", json));
        Assert.ThrowsAny<JsonException>(() => Upcasting.Deserialize("ContactLogged.v1", json));
    }

    [Fact]
    public void A_well_formed_foreign_payload_reads_with_its_optional_members_left_out()
    {
        Assert.Equal(
            new ContactLogged("k-1", Channel.Email),
            Serializer.DeserializeForeign("ContactLogged", """{"contactId":"k-1","channel":"Email"}""")
        );
    }
}
