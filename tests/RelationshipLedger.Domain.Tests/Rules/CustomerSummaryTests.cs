using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.Testing;
using static RelationshipLedger.Domain.Customers.ContactInitiator;
using static RelationshipLedger.Domain.Customers.ContactPurpose;
using static RelationshipLedger.Domain.Customers.CustomerEvent;
using static RelationshipLedger.Domain.Tests.TestEvents;
using static RelationshipLedger.Domain.Tests.Timeline;

namespace RelationshipLedger.Domain.Tests.Rules;

// The overview of one customer at an instant, over a realistic history of more than two years.
// Day 0 is 2022-01-03; day 728 is 2024-01-01; asOf day 800 is 2024-03-13.
public class CustomerSummaryTests
{
    private static readonly CustomerState Northwind = RegisteredNorthwind()
        .On(10, Purchase("o1", 1000m)) // v2
        .On(20, Contact("c1", Company, FollowUp)) // v3
        .On(100, Purchase("o2", 1000m)) // v4
        .On(
            120,
            new TierChanged(
                RelationshipTier.Transactional,
                RelationshipTier.PreferredSupplier,
                "buyers known",
                "sales board"
            )
        ) // v5
        .On(190, Purchase("o3", 1000m)) // v6
        .On(200, Survey("s1", 3, 7)) // v7
        .On(280, Purchase("o4", 1000m)) // v8
        .On(300, Complaint("k1")) // v9
        .On(304, Resolution("k1")) // v10
        .On(370, Purchase("o5", 1200m)) // v11
        .On(375, Survey("s2", 5, 10)) // v12
        .On(400, new CareTierAssigned(2, 600m)) // v13
        .On(410, Refund("o5", 200m)) // v14
        .On(460, Purchase("o6", 1000m)) // v15
        .On(480, new AccountOwnerAssigned("bob", "alice moved to EMEA")) // v16
        .On(500, new CustomerProfileUpdated(new ProfileChanges { Name = "Northwind Traders GmbH" })) // v17
        .On(550, Purchase("o7", 1000m)) // v18
        .On(560, Contact("c2", Company, Advice, ContactChannel.Meeting)) // v19
        .On(640, Purchase("o8", 1000m)) // v20
        .On(650, new TierChanged(RelationshipTier.PreferredSupplier, RelationshipTier.Partner, "joint plan", "CEO")) // v21
        .On(700, Survey("s3", 4, 9)) // v22
        .On(720, Contact("c3", Company, Advice, ContactChannel.Visit)) // v23
        .On(725, Contact("c4", Company, Care, ContactChannel.Gift, CareOccasion.Holiday, 100m)) // v24, 2023-12-29
        .On(730, Purchase("o9", 1000m)) // v25, 2024-01-03
        .On(735, Contact("c5", Company, Care, ContactChannel.Gift, CareOccasion.Birthday, 80m)) // v26
        .On(740, Contact("c6", Customer, Service)) // v27
        .On(760, Complaint("k2")) // v28
        .On(770, Contact("c7", Company, Care, ContactChannel.Visit, cost: 150m)) // v29
        .On(780, Contact("c8", Company, Sales, ContactChannel.Email)) // v30
        .State;

    private static CustomerSpec RegisteredNorthwind() =>
        CustomerSpec
            .Given()
            .At(Day0)
            .And(
                new CustomerRegistered(
                    "Northwind Traders",
                    CustomerKind.Organization,
                    "Wholesale",
                    "Trade fair",
                    "alice"
                )
            );

    [Fact]
    public void Every_field_of_the_summary_after_two_years()
    {
        var summary = CustomerSummary.Of(Northwind, Day(800));

        Assert.Equal("Northwind Traders GmbH", summary.Name);
        Assert.Equal(CustomerKind.Organization, summary.Kind);
        Assert.Equal(30, summary.Version);
        Assert.Equal(RelationshipTier.Partner, summary.Tier);
        Assert.Equal(Day(650), summary.TierSince);
        // Trailing (435, 800]: company Advice on day 560 and 720 (no JointPlanning) → Proactive, ahead of
        // the customer's own call (Reactive); the follow-up of day 20 is long out of the window.
        Assert.Equal(EngagementType.Proactive, summary.EngagementType);
        // Nine orders every 90 days from day 10 (o5 1200, 200 refunded on day 410). Day 800: first
        // purchase 790 days old; recent (620, 800] = 1000 + 1000 = 2000 ≥ 0.8 × previous (440, 620] = 2000;
        // ratings 3, 5, 4 → 12 / 3 = 4 ≥ 4; the last order 70 days old ≤ 2 × 90; last two ratings 4.5.
        Assert.Equal(LifecycleStage.Maturity, summary.LifecycleStage);
        // Mature since o6 (day 460), the sixth purchase: recent (280, 460] = 1200 − 200 + 1000 = 2000,
        // previous (100, 280] = 2000, ratings 3, 5 → 4. It stays mature: each 180-day window holds two
        // orders, the lowest ratio being 1800 / 2200 ≥ 0.8 on days [550, 590).
        Assert.Equal(Day(460), summary.StageSince);
        // Surveys: day 200 (3, 7), day 375 (5, 10), day 700 (4, 9). Trailing: only day 700 → CSAT 100,
        // NPS 100 − 0. All time: ratings 3, 5, 4 → 2 / 3 = 66.67; recommend 7, 10, 9 → 66.67 − 0.
        // Trend 4 − 3 > 0. k1 took 4 days; k2 is open.
        Assert.Equal(
            new SatisfactionSummary(
                4,
                100m,
                100m,
                66.67m,
                66.67m,
                SatisfactionTrend.Improving,
                1,
                TimeSpan.FromDays(4)
            ),
            summary.Satisfaction
        );
        Assert.Equal("bob", summary.OwnerId);
        // 2024: 80 (day 735) + 150 (day 770) = 230; the holiday gift of 2023-12-29 is last year's.
        // The sales e-mail of day 780 is no care touch.
        Assert.Equal(new CareSummary(2, 600m, 230m, Day(770)), summary.Care);
        // No cycle (70 ≤ 180), no halving (2000 vs 2000), no low rating (4.5).
        Assert.Empty(summary.ChurnSignals);
        Assert.Equal("lifecycle-v1", summary.RulesVersion);
    }

    [Fact]
    public void The_stage_history_behind_the_summary()
    {
        StageTransition[] expected =
        [
            new(null, LifecycleStage.Cultivation, Day(0), 1),
            // o2 on day 100: two purchases, the first 90 days old.
            new(LifecycleStage.Cultivation, LifecycleStage.Growth, Day(100), 4),
            new(LifecycleStage.Growth, LifecycleStage.Maturity, Day(460), 15),
        ];

        Assert.Equal(expected, StageHistory.Of(Northwind, Day(800)));
    }

    [Fact]
    public void The_same_history_summarised_as_of_an_earlier_instant()
    {
        // Day 420 (2023-02-27).
        var summary = CustomerSummary.Of(Northwind, Day(420));

        Assert.Equal(RelationshipTier.PreferredSupplier, summary.Tier);
        Assert.Equal(Day(120), summary.TierSince);
        // No contact in (55, 420].
        Assert.Equal(EngagementType.Basic, summary.EngagementType);
        // Five orders: no Maturity. recent (240, 420] = 1000 + 1200 − 200 = 2000 ≥ previous (60, 240] = 2000.
        Assert.Equal(LifecycleStage.Growth, summary.LifecycleStage);
        Assert.Equal(Day(100), summary.StageSince);
        // Ratings 3, 5: CSAT 1 / 2 = 50; recommend 7, 10: 50 − 0 = 50; trend 5 − 3 > 0.
        Assert.Equal(
            new SatisfactionSummary(5, 50m, 50m, 50m, 50m, SatisfactionTrend.Improving, 0, TimeSpan.FromDays(4)),
            summary.Satisfaction
        );
        Assert.Equal("alice", summary.OwnerId);
        // Care tier since day 400; no contact cost in 2023 up to day 420; no care touch yet.
        Assert.Equal(new CareSummary(2, 600m, 0m, null), summary.Care);
        Assert.Empty(summary.ChurnSignals);
    }
}
