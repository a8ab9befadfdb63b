using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Testing;
using static RelationshipLedger.Domain.Customers.CustomerEvent;
using static RelationshipLedger.Domain.Tests.TestEvents;

namespace RelationshipLedger.Domain.Tests.Customers;

// Evolve folds a stream into the state the decider and the rules read: each event applied in order,
// the version being that of the last event folded.
public class EvolveTests
{
    private static readonly DateTimeOffset T = CustomerSpec.Start;

    [Fact]
    public void Before_any_event_the_state_is_unregistered_at_version_zero()
    {
        var state = CustomerState.Initial;

        Assert.False(state.IsRegistered);
        Assert.Equal(0, state.Version);
        Assert.Equal(RelationshipTier.Transactional, state.Tier);
        Assert.Null(state.OwnerId);
        Assert.False(state.IsEnded);
    }

    [Fact]
    public void Registration_sets_who_the_customer_is_and_when()
    {
        var state = CustomerSpec
            .Given(new CustomerRegistered("Li Lei", CustomerKind.Individual, "Retail", "Referral", "alice"))
            .State;

        Assert.True(state.IsRegistered);
        Assert.Equal(new EventMoment(1, T), state.Registered);
        Assert.Equal(
            ("Li Lei", CustomerKind.Individual, "Retail", "Referral"),
            (state.Name, state.Kind, state.Segment, state.Source)
        );
        Assert.Equal("alice", state.OwnerId);
        Assert.Equal(RelationshipTier.Transactional, state.Tier);
        Assert.Equal(1, state.Version);
    }

    [Fact]
    public void Folding_a_history_gives_tier_orders_complaints_owner_and_version()
    {
        // Versions 1..13, one minute apart from T.
        var state = CustomerSpec
            .Given(Registered(ownerId: "alice")) // v1
            .And(
                Purchase("o1", 100m), // v2
                Purchase("o2", 250m), // v3
                Refund("o1", 30m), // v4
                Refund("o1", 20m), // v5
                Complaint("k1"), // v6
                Complaint("k2"), // v7
                Resolution("k1", accepted: false), // v8
                Tier(RelationshipTier.Transactional, RelationshipTier.PreferredSupplier), // v9
                Tier(RelationshipTier.PreferredSupplier, RelationshipTier.Partner), // v10
                new AccountOwnerAssigned("bob", "alice left"), // v11
                Survey("s1", 4, 9), // v12
                new CareTierAssigned(2, 600m) // v13
            )
            .State;

        Assert.Equal(13, state.Version);
        Assert.Equal(RelationshipTier.Partner, state.Tier);
        Assert.Equal(
            [
                (RelationshipTier.Transactional, RelationshipTier.PreferredSupplier, 9L),
                (RelationshipTier.PreferredSupplier, RelationshipTier.Partner, 10L),
            ],
            state.TierChanges.Select(c => (c.From, c.To, c.Moment.Version))
        );
        // o1: 100 − 30 − 20 = 50 left; o2 untouched.
        Assert.Equal(50m, state.Orders["o1"].Refunded);
        Assert.Equal(50m, state.Orders["o1"].Remaining);
        Assert.Equal(0m, state.Orders["o2"].Refunded);
        Assert.Equal(250m, state.Orders["o2"].Remaining);
        Assert.Equal(new EventMoment(3, T.AddMinutes(2)), state.Orders["o2"].Moment);
        Assert.Equal("EUR", state.Currency);
        Assert.Equal(2, state.Purchases.Count);
        Assert.Equal(2, state.Refunds.Count);
        Assert.Equal(["k2"], state.Complaints.Values.Where(c => c.IsOpen).Select(c => c.ComplaintId));
        Assert.Equal(new EventMoment(8, T.AddMinutes(7)), state.Complaints["k1"].Resolved);
        Assert.False(state.Complaints["k1"].CustomerAccepted);
        Assert.Equal("bob", state.OwnerId);
        Assert.Equal([("alice", 1L), ("bob", 11L)], state.Owners.Select(o => (o.OwnerId, o.Moment.Version)));
        Assert.Equal([("s1", 4, (int?)9)], state.Surveys.Select(s => (s.SurveyId, s.Rating, s.Recommend)));
        Assert.Equal(new CareTierFact(2, 600m, new EventMoment(13, T.AddMinutes(12))), state.Care);
        Assert.False(state.IsEnded);
    }

    [Fact]
    public void A_profile_update_changes_only_the_fields_it_names()
    {
        var state = CustomerSpec
            .GivenRegistered()
            .And(
                new CustomerProfileUpdated(new ProfileChanges { Phone = "+49 40 1", Email = "a@acme.example" }),
                new CustomerProfileUpdated(new ProfileChanges { Name = "Acme Holding", Phone = "+49 40 2" })
            )
            .State;

        Assert.Equal("Acme Holding", state.Name);
        Assert.Equal(new CustomerProfile(Phone: "+49 40 2", Email: "a@acme.example"), state.Profile);
        Assert.Equal(3, state.Version);
    }

    [Fact]
    public void Ending_and_reactivating_toggle_whether_the_relationship_has_ended()
    {
        var spec = CustomerSpec.GivenRegistered().And(Ended());
        Assert.True(spec.State.IsEnded);

        spec.And(Reactivated());
        Assert.False(spec.State.IsEnded);

        spec.And(new RelationshipEnded(EndCause.External));
        Assert.True(spec.State.IsEnded);
        Assert.Equal(
            [(true, (EndCause?)EndCause.Competitor), (false, null), (true, EndCause.External)],
            spec.State.Lifecycle.Select(l => (l.Ended, l.Cause))
        );
        Assert.Equal(4, spec.State.Version);
    }

    [Fact]
    public void Contacts_and_churn_flags_are_kept_with_their_moments()
    {
        var state = CustomerSpec
            .GivenRegistered()
            .And(
                Contact(
                    "c1",
                    ContactInitiator.Company,
                    ContactPurpose.Care,
                    ContactChannel.Gift,
                    CareOccasion.Holiday,
                    80m
                ),
                Flagged(ChurnSignal.VolumeHalved)
            )
            .State;

        Assert.Equal(
            [
                new ContactFact(
                    "c1",
                    ContactChannel.Gift,
                    ContactInitiator.Company,
                    ContactPurpose.Care,
                    CareOccasion.Holiday,
                    80m,
                    new EventMoment(2, T.AddMinutes(1))
                ),
            ],
            state.Contacts
        );
        Assert.Equal([ChurnSignal.VolumeHalved], Assert.Single(state.ChurnFlags).Signals);
        Assert.Equal(new EventMoment(3, T.AddMinutes(2)), state.ChurnFlags[0].Moment);
    }
}
