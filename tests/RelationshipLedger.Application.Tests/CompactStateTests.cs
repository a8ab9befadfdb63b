using System.Reflection;
using RelationshipLedger.Application.Customers.Snapshots;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Application.Tests;

public sealed class CompactStateTests
{
    [Fact]
    public void The_compact_snapshot_format_writes_every_property_of_the_customer_state()
    {
        var properties = typeof(CustomerState)
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is not null)
            .Select(p => p.Name)
            .Order();

        Assert.Equal(properties, CompactState.EncodedProperties.Order());
    }

    [Theory]
    [InlineData(typeof(CustomerProfile), 6)]
    [InlineData(typeof(EventMoment), 2)]
    [InlineData(typeof(OwnerAssignment), 3)]
    [InlineData(typeof(TierChange), 5)]
    [InlineData(typeof(Order), 5)]
    [InlineData(typeof(RevenueFact), 3)]
    [InlineData(typeof(ContactFact), 7)]
    [InlineData(typeof(ComplaintFact), 6)]
    [InlineData(typeof(SurveyFact), 5)]
    [InlineData(typeof(CareTierFact), 3)]
    [InlineData(typeof(LifecycleFact), 3)]
    [InlineData(typeof(ChurnFlag), 2)]
    [InlineData(typeof(StageMark), 4)]
    public void The_compact_snapshot_format_knows_every_property_of_the_facts_it_writes(Type factType, int written)
    {
        // A property added to a fact without a change in CompactState (and a new format name) fails here.
        var properties = factType
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Count(p => p.SetMethod is not null);

        Assert.Equal(written, properties);
    }

    [Fact]
    public void A_state_with_every_kind_of_fact_reads_back_as_the_same_state_and_stage()
    {
        var at = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.FromHours(2));
        var state = CustomerState.Initial;
        var version = 0L;
        foreach (
            var e in new CustomerEvent[]
            {
                new CustomerEvent.CustomerRegistered(
                    "Every Fact AG",
                    CustomerKind.Organization,
                    "retail",
                    "fair",
                    "owner-0"
                ),
                new CustomerEvent.CustomerProfileUpdated(
                    new ProfileChanges
                    {
                        Name = "Every Fact GmbH",
                        Address = "Street 1",
                        ContactPerson = "Ann",
                        Phone = "+41 1",
                        Email = "ann@example.com",
                        Birthday = new DateOnly(1980, 2, 29),
                        Preferences = "mornings",
                    }
                ),
                new CustomerEvent.PurchaseRecorded("o-1", 120.5m, "EUR"),
                new CustomerEvent.PurchaseRefunded("o-1", 20m, "damaged"),
                new CustomerEvent.ContactRecorded(
                    "c-1",
                    ContactChannel.Phone,
                    ContactInitiator.Company,
                    ContactPurpose.Advice,
                    CareOccasion.Birthday,
                    15.25m
                ),
                new CustomerEvent.SatisfactionSurveyed("s-1", 4, RepurchaseIntent.Yes, 9),
                new CustomerEvent.ComplaintFiled("k-1", ComplaintCategory.Delivery, ComplaintSeverity.High, "late"),
                new CustomerEvent.ComplaintResolved("k-1", "refunded", true),
                new CustomerEvent.AccountOwnerAssigned("owner-1", "new region"),
                new CustomerEvent.TierChanged(RelationshipTier.Transactional, RelationshipTier.Partner, "plan", "boss"),
                new CustomerEvent.CareTierAssigned(2, 500m),
                new CustomerEvent.ChurnRiskFlagged([ChurnSignal.VolumeHalved, ChurnSignal.LowSatisfaction]),
                new CustomerEvent.RelationshipEnded(EndCause.Dissatisfaction, "too dear"),
                new CustomerEvent.RelationshipReactivated("came back"),
                new CustomerEvent.PurchaseRecorded("o-2", 0.001m, "EUR"),
            }
        )
            state = CustomerDecider.Evolve(state, e, new EventMoment(++version, at.AddDays(version)));
        var mark = StageHistory.MarkAt(state, state.LatestOccurredAt);

        var read = StateSnapshot.Decode(StateSnapshot.Format, null, StateSnapshot.Encode(state, mark, "rules-x"));

        Assert.Equal(StateSnapshot.Serialize(state), StateSnapshot.Serialize(read.State));
        Assert.Equal(mark, read.Stage);
        Assert.Equal("rules-x", read.StageRulesVersion);
    }
}
