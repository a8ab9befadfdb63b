using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Testing;
using static RelationshipLedger.Domain.Customers.CustomerCommand;
using static RelationshipLedger.Domain.Customers.CustomerEvent;

namespace RelationshipLedger.Domain.Tests.Customers;

// domain.md §3: a stream starts with CustomerRegistered and has exactly one.
public class RegistrationTests
{
    private static readonly DateTimeOffset Now = CustomerSpec.Start;

    [Fact]
    public void Registering_a_new_customer_records_CustomerRegistered_with_every_field()
    {
        CustomerSpec
            .Given()
            .When(
                new RegisterCustomer("Northwind Traders", CustomerKind.Organization, "Retail", "Trade fair", "alice")
                {
                    IssuedAt = Now,
                }
            )
            .ThenEvents(
                new CustomerRegistered("Northwind Traders", CustomerKind.Organization, "Retail", "Trade fair", "alice")
            );
    }

    [Fact]
    public void An_individual_may_be_registered_with_only_a_name_and_a_kind()
    {
        CustomerSpec
            .Given()
            .When(new RegisterCustomer("Li Lei", CustomerKind.Individual) { IssuedAt = Now })
            .ThenEvents(new CustomerRegistered("Li Lei", CustomerKind.Individual));
    }

    [Fact]
    public void A_second_registration_of_the_same_stream_is_a_conflict()
    {
        CustomerSpec
            .GivenRegistered()
            .When(new RegisterCustomer("Acme again", CustomerKind.Organization) { IssuedAt = Now.AddHours(1) })
            .ThenRejected(RejectionKind.Conflict, "already-registered");
    }

    [Fact]
    public void A_registration_is_refused_even_after_the_relationship_ended()
    {
        CustomerSpec
            .GivenRegistered()
            .And(new RelationshipEnded(EndCause.Competitor))
            .When(new RegisterCustomer("Acme", CustomerKind.Organization) { IssuedAt = Now.AddHours(1) })
            .ThenRejected(RejectionKind.Conflict, "already-registered");
    }

    public static TheoryData<CustomerCommand> EveryOtherCommand =>
        [
            new UpdateProfile(new ProfileChanges { Phone = "+49 30 123456" }) { IssuedAt = Now },
            new AssignOwner("alice", "new account") { IssuedAt = Now },
            new RecordContact("c1", ContactChannel.Phone, ContactInitiator.Company, ContactPurpose.Sales)
            {
                IssuedAt = Now,
            },
            new RecordPurchase("o1", 100m, "EUR") { IssuedAt = Now },
            new RefundPurchase("o1", 10m, "damaged") { IssuedAt = Now },
            new FileComplaint("k1", ComplaintCategory.Product, ComplaintSeverity.Low, "scratched") { IssuedAt = Now },
            new ResolveComplaint("k1", "replaced", true) { IssuedAt = Now },
            new RecordSurvey("s1", 4) { IssuedAt = Now },
            new ChangeTier(RelationshipTier.PreferredSupplier, "key people known", "board") { IssuedAt = Now },
            new AssignCareTier(2, 600m) { IssuedAt = Now },
            new FlagChurnRisk([ChurnSignal.VolumeHalved]) { IssuedAt = Now },
            new EndRelationship(EndCause.Competitor) { IssuedAt = Now },
            new ReactivateRelationship("won back") { IssuedAt = Now },
        ];

    [Theory]
    [MemberData(nameof(EveryOtherCommand))]
    public void Any_command_but_a_registration_on_an_empty_stream_is_not_found(CustomerCommand command)
    {
        CustomerSpec.Given().When(command).ThenRejected(RejectionKind.NotFound, "customer-not-found");
    }
}
