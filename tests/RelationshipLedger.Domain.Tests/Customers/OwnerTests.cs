using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Testing;
using static RelationshipLedger.Domain.Customers.CustomerCommand;
using static RelationshipLedger.Domain.Customers.CustomerEvent;

namespace RelationshipLedger.Domain.Tests.Customers;

// domain.md §2.7: AccountOwnerAssigned records each hand-over with a reason.
public class OwnerTests
{
    [Fact]
    public void Assigning_an_owner_records_the_hand_over_with_its_reason()
    {
        var spec = CustomerSpec.GivenRegistered();

        spec.When(new AssignOwner("alice", "new key account") { IssuedAt = spec.Now })
            .ThenEvents(new AccountOwnerAssigned("alice", "new key account"));
    }

    [Fact]
    public void Handing_the_account_to_the_owner_it_already_has_is_a_conflict()
    {
        var spec = CustomerSpec.GivenRegistered().And(new AccountOwnerAssigned("alice", "new key account"));

        spec.When(new AssignOwner("alice", "again") { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Conflict, "already-owner");
    }

    [Fact]
    public void The_owner_named_at_registration_is_the_current_owner()
    {
        var spec = CustomerSpec.Given(TestEvents.Registered(ownerId: "alice"));

        spec.When(new AssignOwner("alice", "confirm") { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Conflict, "already-owner");
    }

    [Fact]
    public void An_account_may_go_back_to_a_former_owner()
    {
        var spec = CustomerSpec
            .Given(TestEvents.Registered(ownerId: "alice"))
            .And(new AccountOwnerAssigned("bob", "alice on leave"));

        spec.When(new AssignOwner("alice", "back from leave") { IssuedAt = spec.Now })
            .ThenEvents(new AccountOwnerAssigned("alice", "back from leave"));
    }

    [Theory]
    [InlineData("", "reassignment", "ownerId")]
    [InlineData("alice", "", "reason")]
    [InlineData("alice", "  ", "reason")]
    public void An_assignment_needs_an_owner_and_a_reason(string ownerId, string reason, string field)
    {
        var spec = CustomerSpec.GivenRegistered();

        var rejection = spec.When(new AssignOwner(ownerId, reason) { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Invalid, "invalid-input");

        Assert.Equal([field], rejection.Errors.Select(e => e.Field));
    }
}
