using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Testing;
using static RelationshipLedger.Domain.Customers.CustomerCommand;
using static RelationshipLedger.Domain.Customers.CustomerEvent;
using static RelationshipLedger.Domain.Tests.TestEvents;

namespace RelationshipLedger.Domain.Tests.Customers;

// domain.md §2.1 and §3: every customer starts Transactional; TierChanged { from, to, reason, approvedBy },
// from equals the current tier and differs from to.
public class TierChangeTests
{
    [Fact]
    public void A_new_customer_changes_tier_from_Transactional()
    {
        var spec = CustomerSpec.GivenRegistered();

        spec.When(
                new ChangeTier(RelationshipTier.PreferredSupplier, "knows our buyers", "sales board")
                {
                    IssuedAt = spec.Now,
                }
            )
            .ThenEvents(
                new TierChanged(
                    RelationshipTier.Transactional,
                    RelationshipTier.PreferredSupplier,
                    "knows our buyers",
                    "sales board"
                )
            );
    }

    [Fact]
    public void The_change_records_the_current_tier_as_its_from()
    {
        var spec = CustomerSpec
            .GivenRegistered()
            .And(
                Tier(RelationshipTier.Transactional, RelationshipTier.PreferredSupplier),
                Tier(RelationshipTier.PreferredSupplier, RelationshipTier.Partner)
            );

        spec.When(new ChangeTier(RelationshipTier.StrategicAlliance, "joint venture", "CEO") { IssuedAt = spec.Now })
            .ThenEvents(
                new TierChanged(RelationshipTier.Partner, RelationshipTier.StrategicAlliance, "joint venture", "CEO")
            );
    }

    [Fact]
    public void A_tier_may_be_lowered()
    {
        var spec = CustomerSpec.GivenRegistered().And(Tier(RelationshipTier.Transactional, RelationshipTier.Partner));

        spec.When(
                new ChangeTier(RelationshipTier.PreferredSupplier, "costs more than it yields", "CFO")
                {
                    IssuedAt = spec.Now,
                }
            )
            .ThenEvents(
                new TierChanged(
                    RelationshipTier.Partner,
                    RelationshipTier.PreferredSupplier,
                    "costs more than it yields",
                    "CFO"
                )
            );
    }

    [Fact]
    public void Changing_to_the_tier_a_new_customer_already_has_is_a_conflict()
    {
        var spec = CustomerSpec.GivenRegistered();

        spec.When(new ChangeTier(RelationshipTier.Transactional, "no change", "board") { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Conflict, "tier-unchanged");
    }

    [Fact]
    public void Changing_to_the_current_tier_after_a_change_is_a_conflict()
    {
        var spec = CustomerSpec.GivenRegistered().And(Tier(RelationshipTier.Transactional, RelationshipTier.Partner));

        spec.When(new ChangeTier(RelationshipTier.Partner, "again", "board") { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Conflict, "tier-unchanged");
    }

    [Theory]
    [InlineData("", "board", "reason")]
    [InlineData("review", "", "approvedBy")]
    public void A_tier_change_needs_a_reason_and_who_approved_it(string reason, string approvedBy, string field)
    {
        var spec = CustomerSpec.GivenRegistered();

        var rejection = spec.When(new ChangeTier(RelationshipTier.Partner, reason, approvedBy) { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Invalid, "invalid-input");

        Assert.Equal([field], rejection.Errors.Select(e => e.Field));
    }
}
