using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Testing;
using static RelationshipLedger.Domain.Customers.CustomerCommand;
using static RelationshipLedger.Domain.Customers.CustomerEvent;

namespace RelationshipLedger.Domain.Tests.Customers;

// domain.md §2.6 and §3: CareTierAssigned { tier 1–3, annualBudget }.
public class CareTierTests
{
    [Theory]
    [InlineData(1, "1000")]
    [InlineData(2, "600")]
    [InlineData(3, "0")]
    public void Assigning_a_care_tier_records_the_tier_and_its_annual_budget(int tier, string budget)
    {
        var spec = CustomerSpec.GivenRegistered();
        var annualBudget = decimal.Parse(budget, System.Globalization.CultureInfo.InvariantCulture);

        spec.When(new AssignCareTier(tier, annualBudget) { IssuedAt = spec.Now })
            .ThenEvents(new CareTierAssigned(tier, annualBudget));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void A_care_tier_outside_one_to_three_is_invalid(int tier)
    {
        var spec = CustomerSpec.GivenRegistered();

        var rejection = spec.When(new AssignCareTier(tier, 300m) { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Invalid, "invalid-input");

        Assert.Equal(["tier"], rejection.Errors.Select(e => e.Field));
    }

    [Fact]
    public void A_negative_annual_budget_is_invalid()
    {
        var spec = CustomerSpec.GivenRegistered();

        var rejection = spec.When(new AssignCareTier(3, -0.01m) { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Invalid, "invalid-input");

        Assert.Equal(["annualBudget"], rejection.Errors.Select(e => e.Field));
    }

    [Fact]
    public void A_care_tier_may_be_reassigned()
    {
        var spec = CustomerSpec.GivenRegistered().And(new CareTierAssigned(3, 300m));

        spec.When(new AssignCareTier(1, 1000m) { IssuedAt = spec.Now }).ThenEvents(new CareTierAssigned(1, 1000m));
    }
}
