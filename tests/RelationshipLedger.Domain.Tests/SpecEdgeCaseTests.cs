using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.Testing;
using static RelationshipLedger.Domain.Customers.CustomerCommand;
using static RelationshipLedger.Domain.Tests.TestEvents;
using static RelationshipLedger.Domain.Tests.Timeline;

namespace RelationshipLedger.Domain.Tests;

// Edge cases found by reading domain.md against the first implementation, which got each of them
// wrong. Each test states the sentence of domain.md it follows; the expected values are derived by hand.
public class SpecEdgeCaseTests
{
    [Fact]
    public void A_tier_change_dated_before_the_latest_tier_change_is_refused_as_out_of_order()
    {
        var spec = Start().On(10, Tier(RelationshipTier.Transactional, RelationshipTier.PreferredSupplier));

        spec.When(
                new ChangeTier(RelationshipTier.Partner, "joint plan", "CEO")
                {
                    IssuedAt = Day(20),
                    OccurredAt = Day(5),
                }
            )
            .ThenRejected(RejectionKind.Conflict, "out-of-order");
        spec.When(
                new ChangeTier(RelationshipTier.Partner, "joint plan", "CEO")
                {
                    IssuedAt = Day(20),
                    OccurredAt = Day(10),
                }
            )
            .ThenEvents(
                new CustomerEvent.TierChanged(
                    RelationshipTier.PreferredSupplier,
                    RelationshipTier.Partner,
                    "joint plan",
                    "CEO"
                )
            );
    }

    // §2.8: "it appends ChurnRiskFlagged { signals } once per episode (not again until the customer
    // recovers)" — a flag stands until the signals clear, whether a new fact or the passing of time
    // clears them.
    [Fact]
    public void A_customer_whose_signals_cleared_with_time_alone_may_be_flagged_again()
    {
        // Orders 1000 on day 0, 100 on day 150 and on day 300; flagged on day 301.
        // Day 301: recent (121, 301] = 200 < 0.5 × previous (−59, 121] = 1000 → VolumeHalved.
        // Day 360: the order of day 0 leaves the previous window: recent (180, 360] = 100, previous
        //   (0, 180] = 100, 100 ≥ 50; intervals 150, 150 → cycle 150, 60 days since the last ≤ 300;
        //   no ratings: no signal — the customer has recovered.
        // Day 480: recent (300, 480] = 0 < 0.5 × previous (120, 300] = 200 → VolumeHalved again, a new
        //   episode, with no fact appended since the flag.
        var spec = Start()
            .On(0, Purchase("o1", 1000m))
            .On(150, Purchase("o2", 100m))
            .On(300, Purchase("o3", 100m))
            .On(301, Flagged(ChurnSignal.VolumeHalved));

        Assert.Empty(ChurnRules.SignalsAt(spec.State, Day(400)));
        Assert.Equal([ChurnSignal.VolumeHalved], ChurnRules.SignalsAt(spec.State, Day(481)));
        Assert.False(ChurnRules.EpisodeOpen(spec.State, Day(481)));
        spec.When(new FlagChurnRisk([ChurnSignal.VolumeHalved]) { IssuedAt = Day(481) })
            .ThenEvents(new CustomerEvent.ChurnRiskFlagged([ChurnSignal.VolumeHalved]));
    }

    // §2.8: "A periodic job evaluates every active customer as of now: when … satisfaction drops to ≤ 2,
    // it appends ChurnRiskFlagged" — the satisfaction signal has no purchase precondition.
    [Fact]
    public void Low_satisfaction_is_a_churn_signal_even_before_a_first_purchase()
    {
        // Ratings 2 (day 10) and 1 (day 20): (2 + 1) / 2 = 1.5 ≤ 2; the relationship has not ended.
        var state = Start().On(10, Survey("s1", 2)).On(20, Survey("s2", 1)).State;

        Assert.Equal([ChurnSignal.LowSatisfaction], ChurnRules.SignalsAt(state, Day(30)));
    }

    // §2.4: "NPS = %promoters (9–10) − %detractors (0–6)" (SatisfactionSummary: rounded to two decimals).
    [Fact]
    public void Nps_is_rounded_once_not_computed_from_rounded_shares()
    {
        // Recommend 10, 3, 0: promoters 1 / 3, detractors 2 / 3 → NPS = 100 × (1 − 2) / 3 = −33.333… → −33.33.
        // (Rounding each share first gives 33.33 − 66.67 = −33.34.)
        var state = Start().On(10, Survey("s1", 5, 10)).On(20, Survey("s2", 2, 3)).On(30, Survey("s3", 1, 0)).State;

        var summary = SatisfactionRules.SummaryAt(state, Day(40));

        Assert.Equal(-33.33m, summary.Nps);
        Assert.Equal(-33.33m, summary.NpsAllTime);
    }

    // §3: "currency (ISO 4217)".
    [Theory]
    [InlineData("QQQ")]
    [InlineData("ABC")]
    public void A_currency_code_that_ISO_4217_does_not_define_is_invalid(string currency)
    {
        var spec = CustomerSpec.GivenRegistered();

        var rejection = spec.When(new RecordPurchase("o1", 10m, currency) { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Invalid, "invalid-input");

        Assert.Equal(["currency"], rejection.Errors.Select(e => e.Field));
    }

    // §2.3: "Ended (after RelationshipEnded, until RelationshipReactivated)"; §3: "nothing but
    // RelationshipReactivated (and profile/owner events) is accepted on an ended relationship".
    // Whatever the decider does with a reactivation dated before the end it reverses, afterwards the
    // decider and the stage must agree on whether the relationship has ended.
    [Fact]
    public void A_reactivation_dated_before_the_end_does_not_leave_the_stage_Ended_while_purchases_are_accepted()
    {
        // Orders day 10 and 20; ended day 50; on day 60 a reactivation dated day 40 (after registration,
        // in the past: every time rule of the spec is met).
        var spec = Start().On(10, Purchase("o1", 100m)).On(20, Purchase("o2", 100m)).On(50, Ended());
        var decision = spec.When(new ReactivateRelationship("won back") { IssuedAt = Day(60), OccurredAt = Day(40) });
        if (decision.IsAccepted)
            spec.At(Day(40)).And([.. decision.Events]);

        var acceptsPurchases = spec.When(new RecordPurchase("o3", 10m, "EUR") { IssuedAt = Day(60) }).IsAccepted;
        var stage = StageRules.StageAt(spec.State, Day(60));

        Assert.Equal(acceptsPurchases, stage != LifecycleStage.Ended);
    }

    [Fact]
    public void An_end_dated_before_the_last_reactivation_does_not_refuse_purchases_while_the_stage_is_not_Ended()
    {
        // Orders day 10 and 20; ended day 30; reactivated day 50; on day 60 an end dated day 40.
        var spec = Start()
            .On(10, Purchase("o1", 100m))
            .On(20, Purchase("o2", 100m))
            .On(30, Ended())
            .On(50, Reactivated());
        var decision = spec.When(new EndRelationship(EndCause.Competitor) { IssuedAt = Day(60), OccurredAt = Day(40) });
        if (decision.IsAccepted)
            spec.At(Day(40)).And([.. decision.Events]);

        var acceptsPurchases = spec.When(new RecordPurchase("o3", 10m, "EUR") { IssuedAt = Day(60) }).IsAccepted;
        var stage = StageRules.StageAt(spec.State, Day(60));

        Assert.Equal(acceptsPurchases, stage != LifecycleStage.Ended);
    }

    // §3: "TierChanged.from equals the current tier and differs from to"; §2.1: "the projection keeps the
    // full tier history with the time spent at each tier". A tier change dated before the latest one must
    // not leave the tier history disagreeing with the tier the decider checks against.
    [Fact]
    public void A_backdated_tier_change_leaves_the_tier_history_consistent_with_the_current_tier()
    {
        // Transactional → PreferredSupplier on day 10; on day 20 a change to Partner dated day 5.
        var spec = Start().On(10, Tier(RelationshipTier.Transactional, RelationshipTier.PreferredSupplier));
        var decision = spec.When(
            new ChangeTier(RelationshipTier.Partner, "joint plan", "CEO") { IssuedAt = Day(20), OccurredAt = Day(5) }
        );
        if (decision.IsAccepted)
            spec.At(Day(5)).And([.. decision.Events]);

        var history = TierRules.HistoryAt(spec.State, Day(20));

        Assert.Equal(spec.State.Tier, history[^1].Tier);
        // Every change starts from the tier of the period before it.
        var changes = spec.State.TierChanges.OrderBy(c => c.Moment.At).ToArray();
        Assert.Equal(history.Take(changes.Length).Select(p => p.Tier), changes.Select(c => c.From));
    }

    // §2.7: "Queries: current owner, owner history". The owner the decider checks "already-owner" against
    // must be the owner the summary reports.
    [Fact]
    public void A_backdated_owner_assignment_leaves_the_summary_owner_equal_to_the_deciders()
    {
        // Registered with alice; bob on day 10; on day 20 carol, dated day 5.
        var spec = CustomerSpec
            .Given()
            .At(Day0)
            .And(Registered(ownerId: "alice"))
            .On(10, new CustomerEvent.AccountOwnerAssigned("bob", "alice on leave"));
        var decision = spec.When(new AssignOwner("carol", "new region") { IssuedAt = Day(20), OccurredAt = Day(5) });
        if (decision.IsAccepted)
            spec.At(Day(5)).And([.. decision.Events]);

        Assert.Equal(spec.State.OwnerId, CustomerSummary.Of(spec.State, Day(20)).OwnerId);
    }
}
