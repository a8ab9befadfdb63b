using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.Testing;
using static RelationshipLedger.Domain.Customers.ContactInitiator;
using static RelationshipLedger.Domain.Customers.ContactPurpose;
using static RelationshipLedger.Domain.Customers.CustomerEvent;
using static RelationshipLedger.Domain.Tests.TestEvents;

namespace RelationshipLedger.Domain.Tests.Rules;

// domain.md §2.6: a care tier 1/2/3 with an annual budget; contacts carry a cost and an occasion; the
// projection shows the budget used this (calendar) year and the last care touch.
public class CareTests
{
    private static DateTimeOffset At(int year, int month, int day, int hour = 0, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    private static CustomerSpec Customer() =>
        CustomerSpec
            .Given()
            .At(At(2023, 6, 1))
            .And(Registered())
            .At(At(2023, 12, 31, 23, 59))
            .And(Contact("c1", Company, Care, ContactChannel.Gift, CareOccasion.Holiday, 100m))
            .At(At(2024, 1, 1))
            .And(Contact("c2", Company, Care, ContactChannel.Greeting, CareOccasion.Holiday, 20m))
            .At(At(2024, 2, 14))
            .And(Contact("c3", Company, Care, ContactChannel.Gift, CareOccasion.Birthday, 80m))
            .At(At(2024, 3, 1))
            .And(new CareTierAssigned(2, 600m))
            .At(At(2024, 3, 10))
            .And(Contact("c4", Company, Care, ContactChannel.Visit, cost: 150m))
            .At(At(2024, 4, 1))
            .And(Contact("c5", Company, Sales));

    [Fact]
    public void Budget_used_counts_this_calendar_years_costs_and_the_last_touch_is_the_latest_care_contact()
    {
        // 2024: 20 + 80 + 150 = 250 (the gift of 2023-12-31 23:59 belongs to 2023); 600 − 250 = 350 left.
        // The sales call of April is no care touch.
        var care = CareRules.SummaryAt(Customer().State, At(2024, 5, 1));

        Assert.Equal(new CareSummary(2, 600m, 250m, At(2024, 3, 10)), care);
        Assert.Equal(350m, care!.Remaining);
    }

    [Fact]
    public void A_new_year_starts_with_the_whole_budget()
    {
        var care = CareRules.SummaryAt(Customer().State, At(2025, 1, 15));

        Assert.Equal(new CareSummary(2, 600m, 0m, At(2024, 3, 10)), care);
    }

    [Fact]
    public void Only_costs_up_to_asOf_are_used()
    {
        // As of 2024-03-05: 20 + 80 = 100; the last touch is the birthday gift.
        var care = CareRules.SummaryAt(Customer().State, At(2024, 3, 5));

        Assert.Equal(new CareSummary(2, 600m, 100m, At(2024, 2, 14)), care);
    }

    [Fact]
    public void Before_a_care_tier_is_assigned_there_is_no_care_summary()
    {
        Assert.Null(CareRules.SummaryAt(Customer().State, At(2024, 2, 20)));
        Assert.Null(CareRules.SummaryAt(CustomerSpec.GivenRegistered().State, At(2026, 1, 1)));
    }

    [Fact]
    public void A_reassigned_care_tier_brings_its_own_budget()
    {
        var state = Customer().At(At(2024, 6, 1)).And(new CareTierAssigned(1, 1000m)).State;

        Assert.Equal(new CareSummary(1, 1000m, 250m, At(2024, 3, 10)), CareRules.SummaryAt(state, At(2024, 7, 1)));
    }
}
