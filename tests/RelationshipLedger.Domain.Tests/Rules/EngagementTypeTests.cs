using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.Testing;
using static RelationshipLedger.Domain.Customers.ContactInitiator;
using static RelationshipLedger.Domain.Customers.ContactPurpose;
using static RelationshipLedger.Domain.Tests.TestEvents;
using static RelationshipLedger.Domain.Tests.Timeline;

namespace RelationshipLedger.Domain.Tests.Rules;

// domain.md §2.2: Kotler's five types from the ContactRecorded events in the trailing 365 days, the first
// rule that matches from the top: Partnership (≥ 1 company JointPlanning), Proactive (≥ 2 company Advice),
// Accountable (≥ 1 company FollowUp within 30 days after a purchase), Reactive (≥ 1 customer-initiated
// contact), Basic otherwise.
public class EngagementTypeTests
{
    private static readonly DateTimeOffset AsOf = Day(400);

    private static EngagementType TypeOf(CustomerSpec spec) => EngagementRules.TypeAt(spec.State, AsOf);

    [Fact]
    public void Without_contacts_the_engagement_is_Basic()
    {
        Assert.Equal(EngagementType.Basic, TypeOf(Start().On(300, Purchase("o1", 100m))));
    }

    [Fact]
    public void Company_sales_calls_alone_are_Basic()
    {
        var spec = Start().On(300, Contact("c1", Company, Sales)).On(310, Contact("c2", Company, Service));

        Assert.Equal(EngagementType.Basic, TypeOf(spec));
    }

    [Fact]
    public void One_customer_initiated_contact_is_Reactive()
    {
        Assert.Equal(EngagementType.Reactive, TypeOf(Start().On(300, Contact("c1", Customer, Service))));
    }

    [Fact]
    public void A_company_follow_up_within_thirty_days_after_a_purchase_is_Accountable()
    {
        // Purchase day 300, follow-up day 329: 29 days after.
        var spec = Start()
            .On(300, Purchase("o1", 100m))
            .On(329, Contact("c1", Company, FollowUp))
            .On(330, Contact("c2", Customer, Service));

        Assert.Equal(EngagementType.Accountable, TypeOf(spec));
    }

    [Fact]
    public void A_follow_up_thirty_one_days_after_the_purchase_does_not_count()
    {
        // Purchase day 300, follow-up day 331; the customer's own call makes it Reactive.
        var spec = Start()
            .On(300, Purchase("o1", 100m))
            .On(331, Contact("c1", Company, FollowUp))
            .On(332, Contact("c2", Customer, Service));

        Assert.Equal(EngagementType.Reactive, TypeOf(spec));
    }

    [Fact]
    public void A_follow_up_before_any_purchase_does_not_count()
    {
        var spec = Start().On(300, Contact("c1", Company, FollowUp)).On(301, Purchase("o1", 100m));

        Assert.Equal(EngagementType.Basic, TypeOf(spec));
    }

    [Fact]
    public void A_follow_up_the_customer_initiated_is_not_the_company_being_accountable()
    {
        var spec = Start().On(300, Purchase("o1", 100m)).On(305, Contact("c1", Customer, FollowUp));

        Assert.Equal(EngagementType.Reactive, TypeOf(spec));
    }

    [Fact]
    public void Two_company_advice_contacts_are_Proactive_and_one_is_not()
    {
        var one = Start().On(300, Contact("c1", Company, Advice));
        var two = Start().On(300, Contact("c1", Company, Advice)).On(350, Contact("c2", Company, Advice));

        Assert.Equal(EngagementType.Basic, TypeOf(one));
        Assert.Equal(EngagementType.Proactive, TypeOf(two));
    }

    [Fact]
    public void Advice_the_customer_asked_for_does_not_make_the_company_proactive()
    {
        var spec = Start().On(300, Contact("c1", Company, Advice)).On(350, Contact("c2", Customer, Advice));

        Assert.Equal(EngagementType.Reactive, TypeOf(spec));
    }

    [Fact]
    public void Proactive_comes_before_Accountable()
    {
        var spec = Start()
            .On(300, Purchase("o1", 100m))
            .On(310, Contact("c1", Company, FollowUp))
            .On(320, Contact("c2", Company, Advice))
            .On(330, Contact("c3", Company, Advice));

        Assert.Equal(EngagementType.Proactive, TypeOf(spec));
    }

    [Fact]
    public void One_company_joint_planning_contact_is_Partnership_before_every_other_rule()
    {
        var spec = Start()
            .On(300, Purchase("o1", 100m))
            .On(305, Contact("c1", Company, FollowUp))
            .On(310, Contact("c2", Company, Advice))
            .On(320, Contact("c3", Company, Advice))
            .On(330, Contact("c4", Customer, Service))
            .On(340, Contact("c5", Company, JointPlanning, ContactChannel.Meeting));

        Assert.Equal(EngagementType.Partnership, TypeOf(spec));
    }

    [Fact]
    public void Joint_planning_the_customer_initiated_is_Reactive()
    {
        Assert.Equal(EngagementType.Reactive, TypeOf(Start().On(300, Contact("c1", Customer, JointPlanning))));
    }

    [Theory]
    // AsOf is day 400; the window is (day 35, day 400].
    [InlineData(34, EngagementType.Basic)] // 366 days before asOf
    [InlineData(35, EngagementType.Basic)] // exactly 365 days before: outside (asOf − 365, asOf]
    [InlineData(36, EngagementType.Partnership)] // 364 days before
    [InlineData(400, EngagementType.Partnership)] // at asOf
    public void Only_contacts_of_the_trailing_365_days_count(double contactDay, EngagementType expected)
    {
        var spec = Start().On(contactDay, Contact("c1", Company, JointPlanning));

        Assert.Equal(expected, TypeOf(spec));
    }

    [Fact]
    public void Contacts_after_asOf_do_not_count()
    {
        var spec = Start().On(401, Contact("c1", Company, JointPlanning));

        Assert.Equal(EngagementType.Basic, TypeOf(spec));
    }

    [Fact]
    public void One_advice_contact_leaving_the_window_ends_Proactive()
    {
        // Advice on day 30 and 300: as of day 360 both are within (−5, 360]; as of day 400 the first is
        // 370 days old.
        var spec = Start().On(30, Contact("c1", Company, Advice)).On(300, Contact("c2", Company, Advice));

        Assert.Equal(EngagementType.Proactive, EngagementRules.TypeAt(spec.State, Day(360)));
        Assert.Equal(EngagementType.Basic, TypeOf(spec));
    }
}
