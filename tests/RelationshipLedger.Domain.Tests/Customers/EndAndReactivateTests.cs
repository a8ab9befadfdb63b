using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Testing;
using static RelationshipLedger.Domain.Customers.CustomerCommand;
using static RelationshipLedger.Domain.Customers.CustomerEvent;
using static RelationshipLedger.Domain.Tests.TestEvents;

namespace RelationshipLedger.Domain.Tests.Customers;

// domain.md §3: nothing but RelationshipReactivated (and profile/owner events) is accepted on an ended
// relationship; RelationshipEnded { cause, notes? }, RelationshipReactivated { reason }.
public class EndAndReactivateTests
{
    private static readonly DateTimeOffset Later = CustomerSpec.Start.AddDays(1);

    private static CustomerSpec Ended() =>
        CustomerSpec
            .GivenRegistered()
            .And(Purchase("o1", 100m), Complaint("k1"), new RelationshipEnded(EndCause.Dissatisfaction));

    [Fact]
    public void Ending_a_relationship_records_its_cause_and_notes()
    {
        var spec = CustomerSpec.GivenRegistered();

        spec.When(new EndRelationship(EndCause.NeedsChanged, "moved to in-house production") { IssuedAt = spec.Now })
            .ThenEvents(new RelationshipEnded(EndCause.NeedsChanged, "moved to in-house production"));
    }

    [Fact]
    public void Reactivating_an_ended_relationship_records_the_reason()
    {
        Ended()
            .When(new ReactivateRelationship("new purchasing director") { IssuedAt = Later })
            .ThenEvents(new RelationshipReactivated("new purchasing director"));
    }

    [Fact]
    public void Reactivating_a_relationship_that_has_not_ended_is_a_conflict()
    {
        var spec = CustomerSpec.GivenRegistered();

        spec.When(new ReactivateRelationship("why not") { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Conflict, "relationship-not-ended");
    }

    [Fact]
    public void Reactivating_twice_is_a_conflict()
    {
        var spec = Ended().And(new RelationshipReactivated("won back"));

        spec.When(new ReactivateRelationship("again") { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Conflict, "relationship-not-ended");
    }

    public static TheoryData<CustomerCommand> CommandsRefusedOnAnEndedRelationship =>
        [
            new RecordContact("c1", ContactChannel.Phone, ContactInitiator.Company, ContactPurpose.Sales)
            {
                IssuedAt = Later,
            },
            new RecordPurchase("o2", 100m, "EUR") { IssuedAt = Later },
            new RefundPurchase("o1", 10m, "damaged") { IssuedAt = Later },
            new FileComplaint("k2", ComplaintCategory.Product, ComplaintSeverity.Low, "scratched") { IssuedAt = Later },
            new ResolveComplaint("k1", "replaced", true) { IssuedAt = Later },
            new RecordSurvey("s1", 1) { IssuedAt = Later },
            new ChangeTier(RelationshipTier.PreferredSupplier, "key people known", "board") { IssuedAt = Later },
            new AssignCareTier(2, 600m) { IssuedAt = Later },
            new FlagChurnRisk([ChurnSignal.LowSatisfaction]) { IssuedAt = Later },
            new EndRelationship(EndCause.Other) { IssuedAt = Later },
        ];

    [Theory]
    [MemberData(nameof(CommandsRefusedOnAnEndedRelationship))]
    public void Anything_but_a_reactivation_profile_or_owner_change_is_refused_on_an_ended_relationship(
        CustomerCommand command
    )
    {
        Ended().When(command).ThenRejected(RejectionKind.Conflict, "relationship-ended");
    }

    [Fact]
    public void The_profile_of_an_ended_relationship_may_still_be_updated()
    {
        var changes = new ProfileChanges { Address = "new address" };

        Ended().When(new UpdateProfile(changes) { IssuedAt = Later }).ThenEvents(new CustomerProfileUpdated(changes));
    }

    [Fact]
    public void An_ended_account_may_still_be_handed_to_another_owner()
    {
        Ended()
            .When(new AssignOwner("bob", "alice left the company") { IssuedAt = Later })
            .ThenEvents(new AccountOwnerAssigned("bob", "alice left the company"));
    }

    [Fact]
    public void After_a_reactivation_purchases_are_accepted_again()
    {
        var spec = Ended().And(new RelationshipReactivated("won back"));

        spec.When(new RecordPurchase("o2", 50m, "EUR") { IssuedAt = spec.Now })
            .ThenEvents(new PurchaseRecorded("o2", 50m, "EUR"));
    }

    [Fact]
    public void A_relationship_may_end_again_after_a_reactivation()
    {
        var spec = Ended().And(new RelationshipReactivated("won back"));

        spec.When(new EndRelationship(EndCause.External) { IssuedAt = spec.Now })
            .ThenEvents(new RelationshipEnded(EndCause.External));
    }

    [Fact]
    public void A_reactivation_needs_a_reason()
    {
        var rejection = Ended()
            .When(new ReactivateRelationship("") { IssuedAt = Later })
            .ThenRejected(RejectionKind.Invalid, "invalid-input");

        Assert.Equal(["reason"], rejection.Errors.Select(e => e.Field));
    }
}
