using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Testing;
using static RelationshipLedger.Domain.Customers.CustomerCommand;
using static RelationshipLedger.Domain.Customers.CustomerEvent;
using static RelationshipLedger.Domain.Tests.TestEvents;
using static RelationshipLedger.Domain.Tests.Timeline;

namespace RelationshipLedger.Domain.Tests.Customers;

// domain.md §2.8: ChurnRiskFlagged { signals } is appended once per episode, not again until the customer recovers.
public class ChurnFlagTests
{
    // Purchases at days 0, 10, 20: intervals 10, 10, cycle (median) 10 days; from day 40 + ε the time
    // since the last purchase exceeds 2 × 10 days, so the cycle has lengthened.
    private static CustomerSpec CycleLengthened() =>
        Start().On(0, Purchase("o1", 100m)).On(10, Purchase("o2", 100m)).On(20, Purchase("o3", 100m));

    [Fact]
    public void Flagging_a_churn_risk_records_its_signals()
    {
        var spec = CycleLengthened();

        spec.When(new FlagChurnRisk([ChurnSignal.PurchaseCycleLengthening]) { IssuedAt = Day(41) })
            .ThenEvents(new ChurnRiskFlagged([ChurnSignal.PurchaseCycleLengthening]));
    }

    [Fact]
    public void A_second_flag_while_the_signals_still_stand_is_a_conflict()
    {
        // Flag at day 41; at day 50 the last purchase is 30 days old > 20: the episode is still open.
        var spec = CycleLengthened().On(41, Flagged(ChurnSignal.PurchaseCycleLengthening));

        spec.When(new FlagChurnRisk([ChurnSignal.PurchaseCycleLengthening]) { IssuedAt = Day(50) })
            .ThenRejected(RejectionKind.Conflict, "churn-already-flagged");
    }

    [Fact]
    public void After_the_customer_recovered_a_new_episode_may_be_flagged()
    {
        // Day 45: a purchase clears the signal (intervals 10, 10, 25 → cycle 10; 0 days since the last).
        // Day 70: 25 days since the last purchase > 2 × 10: a new episode.
        var spec = CycleLengthened().On(41, Flagged(ChurnSignal.PurchaseCycleLengthening)).On(45, Purchase("o4", 100m));

        spec.When(new FlagChurnRisk([ChurnSignal.PurchaseCycleLengthening]) { IssuedAt = Day(70) })
            .ThenEvents(new ChurnRiskFlagged([ChurnSignal.PurchaseCycleLengthening]));
    }

    [Fact]
    public void A_flag_dated_before_the_latest_flag_is_out_of_order()
    {
        // Day 45 clears the signal and day 70 opens a new episode, flagged on day 70. An evaluator whose
        // clock runs behind, asking on day 69, would see no flag up to its instant and flag the episode again.
        var spec = CycleLengthened()
            .On(41, Flagged(ChurnSignal.PurchaseCycleLengthening))
            .On(45, Purchase("o4", 100m))
            .On(70, Flagged(ChurnSignal.PurchaseCycleLengthening));

        spec.When(new FlagChurnRisk([ChurnSignal.PurchaseCycleLengthening]) { IssuedAt = Day(69) })
            .ThenRejected(RejectionKind.Conflict, "out-of-order");
    }

    [Fact]
    public void A_flag_without_signals_is_invalid()
    {
        var spec = CycleLengthened();

        var rejection = spec.When(new FlagChurnRisk([]) { IssuedAt = Day(41) })
            .ThenRejected(RejectionKind.Invalid, "invalid-input");

        Assert.Equal(["signals"], rejection.Errors.Select(e => e.Field));
    }

    [Fact]
    public void A_signal_that_is_not_in_the_catalogue_is_invalid()
    {
        var spec = CycleLengthened();

        var rejection = spec.When(new FlagChurnRisk([(ChurnSignal)42]) { IssuedAt = Day(41) })
            .ThenRejected(RejectionKind.Invalid, "invalid-input");

        Assert.Equal(["signals"], rejection.Errors.Select(e => e.Field));
    }
}
