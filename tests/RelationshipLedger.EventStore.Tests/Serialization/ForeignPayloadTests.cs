using System.Text.Json;
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

    [Fact]
    public void A_well_formed_foreign_payload_reads_with_its_optional_members_left_out()
    {
        Assert.Equal(
            new ContactLogged("k-1", Channel.Email),
            Serializer.DeserializeForeign("ContactLogged", """{"contactId":"k-1","channel":"Email"}""")
        );
    }
}
