using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Testing;
using static RelationshipLedger.Domain.Customers.CustomerCommand;
using static RelationshipLedger.Domain.Customers.CustomerEvent;

namespace RelationshipLedger.Domain.Tests.Customers;

// domain.md §3: ContactRecorded { contactId, channel, initiator, purpose, occasion?, cost?, notes? };
// contactIds are unique in a stream.
public class ContactTests
{
    [Fact]
    public void Recording_a_contact_records_every_field()
    {
        var spec = CustomerSpec.GivenRegistered();

        spec.When(
                new RecordContact(
                    "c1",
                    ContactChannel.Gift,
                    ContactInitiator.Company,
                    ContactPurpose.Care,
                    CareOccasion.Birthday,
                    45.50m,
                    "flowers\nand a card"
                )
                {
                    IssuedAt = spec.Now,
                }
            )
            .ThenEvents(
                new ContactRecorded(
                    "c1",
                    ContactChannel.Gift,
                    ContactInitiator.Company,
                    ContactPurpose.Care,
                    CareOccasion.Birthday,
                    45.50m,
                    "flowers\nand a card"
                )
            );
    }

    [Fact]
    public void A_contact_without_occasion_cost_or_notes_is_accepted()
    {
        var spec = CustomerSpec.GivenRegistered();

        spec.When(
                new RecordContact("c1", ContactChannel.Phone, ContactInitiator.Customer, ContactPurpose.Service)
                {
                    IssuedAt = spec.Now,
                }
            )
            .ThenEvents(
                new ContactRecorded("c1", ContactChannel.Phone, ContactInitiator.Customer, ContactPurpose.Service)
            );
    }

    [Fact]
    public void A_contact_id_used_before_in_the_stream_is_a_conflict()
    {
        var spec = CustomerSpec
            .GivenRegistered()
            .And(new ContactRecorded("c1", ContactChannel.Phone, ContactInitiator.Customer, ContactPurpose.Service));

        spec.When(
                new RecordContact("c1", ContactChannel.Email, ContactInitiator.Company, ContactPurpose.FollowUp)
                {
                    IssuedAt = spec.Now,
                }
            )
            .ThenRejected(RejectionKind.Conflict, "duplicate-contact");
    }

    [Fact]
    public void A_free_contact_costs_zero_and_is_accepted()
    {
        var spec = CustomerSpec.GivenRegistered();

        spec.When(
                new RecordContact("c1", ContactChannel.Visit, ContactInitiator.Company, ContactPurpose.Care, Cost: 0m)
                {
                    IssuedAt = spec.Now,
                }
            )
            .ThenEvents(
                new ContactRecorded("c1", ContactChannel.Visit, ContactInitiator.Company, ContactPurpose.Care, Cost: 0m)
            );
    }

    [Fact]
    public void A_negative_contact_cost_is_invalid()
    {
        var spec = CustomerSpec.GivenRegistered();

        var rejection = spec.When(
                new RecordContact("c1", ContactChannel.Gift, ContactInitiator.Company, ContactPurpose.Care, Cost: -1m)
                {
                    IssuedAt = spec.Now,
                }
            )
            .ThenRejected(RejectionKind.Invalid, "invalid-input");

        Assert.Equal(["cost"], rejection.Errors.Select(e => e.Field));
    }
}
