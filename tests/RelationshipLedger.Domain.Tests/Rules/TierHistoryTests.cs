using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using static RelationshipLedger.Domain.Customers.CustomerEvent;
using static RelationshipLedger.Domain.Tests.Timeline;

namespace RelationshipLedger.Domain.Tests.Rules;

// domain.md §2.1: every customer starts Transactional; the projection keeps the full tier history with the
// time spent at each tier, each change with its reason and who approved it.
public class TierHistoryTests
{
    // Registered day 0; Transactional → PreferredSupplier on day 10.5; → Partner on day 40.
    private static readonly CustomerState State = Start()
        .On(
            10.5,
            new TierChanged(
                RelationshipTier.Transactional,
                RelationshipTier.PreferredSupplier,
                "buyers known",
                "sales board"
            )
        )
        .On(40, new TierChanged(RelationshipTier.PreferredSupplier, RelationshipTier.Partner, "joint plan", "CEO"))
        .State;

    [Fact]
    public void Each_period_has_its_tier_bounds_reason_approver_and_length()
    {
        TierPeriod[] expected =
        [
            new(
                RelationshipTier.Transactional,
                Day(0),
                Day(10.5),
                TierRules.RegistrationReason,
                null,
                TimeSpan.FromDays(10.5)
            ),
            new(
                RelationshipTier.PreferredSupplier,
                Day(10.5),
                Day(40),
                "buyers known",
                "sales board",
                TimeSpan.FromDays(29.5)
            ),
            // The current period is measured up to asOf: 100 − 40 = 60 days.
            new(RelationshipTier.Partner, Day(40), null, "joint plan", "CEO", TimeSpan.FromDays(60)),
        ];

        var history = TierRules.HistoryAt(State, Day(100));

        Assert.Equal(expected, history);
        Assert.Equal([10.5, 29.5, 60.0], history.Select(p => p.Days));
    }

    [Fact]
    public void As_of_an_earlier_instant_later_changes_are_not_yet_there()
    {
        var history = TierRules.HistoryAt(State, Day(20));

        Assert.Equal([RelationshipTier.Transactional, RelationshipTier.PreferredSupplier], history.Select(p => p.Tier));
        // 20 − 10.5 = 9.5 days so far.
        Assert.Equal(
            new TierPeriod(
                RelationshipTier.PreferredSupplier,
                Day(10.5),
                null,
                "buyers known",
                "sales board",
                TimeSpan.FromDays(9.5)
            ),
            history[^1]
        );
    }

    [Fact]
    public void A_customer_never_changed_has_been_Transactional_since_registration()
    {
        var period = Assert.Single(TierRules.HistoryAt(Start().State, Day(3)));

        Assert.Equal(RelationshipTier.Transactional, period.Tier);
        Assert.Equal(Day(0), period.From);
        Assert.Null(period.To);
        Assert.Equal(3.0, period.Days);
    }

    [Fact]
    public void Days_are_rounded_to_two_decimals()
    {
        // 8 hours = 0.333… days → 0.33.
        var history = TierRules.HistoryAt(State, Day(40) + TimeSpan.FromHours(8));

        Assert.Equal(0.33, history[^1].Days);
    }

    [Fact]
    public void There_is_no_tier_history_before_the_registration()
    {
        Assert.Empty(TierRules.HistoryAt(State, Day(0) - Microsecond));
    }
}
