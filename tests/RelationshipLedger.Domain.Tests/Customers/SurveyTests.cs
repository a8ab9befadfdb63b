using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Testing;
using static RelationshipLedger.Domain.Customers.CustomerCommand;
using static RelationshipLedger.Domain.Customers.CustomerEvent;
using static RelationshipLedger.Domain.Tests.TestEvents;

namespace RelationshipLedger.Domain.Tests.Customers;

// domain.md §2.4 and §3: SatisfactionSurveyed { surveyId, rating 1–5, repurchaseIntent?, recommend 0–10?, comment? }.
public class SurveyTests
{
    [Fact]
    public void Recording_a_survey_records_rating_intent_recommendation_and_comment()
    {
        var spec = CustomerSpec.GivenRegistered();

        spec.When(new RecordSurvey("s1", 5, RepurchaseIntent.Yes, 10, "great\nservice") { IssuedAt = spec.Now })
            .ThenEvents(new SatisfactionSurveyed("s1", 5, RepurchaseIntent.Yes, 10, "great\nservice"));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(5, 10)]
    public void The_ends_of_both_scales_are_accepted(int rating, int recommend)
    {
        var spec = CustomerSpec.GivenRegistered();

        spec.When(new RecordSurvey("s1", rating, Recommend: recommend) { IssuedAt = spec.Now })
            .ThenEvents(new SatisfactionSurveyed("s1", rating, Recommend: recommend));
    }

    [Fact]
    public void A_survey_id_used_before_in_the_stream_is_a_conflict()
    {
        var spec = CustomerSpec.GivenRegistered().And(Survey("s1", 4));

        spec.When(new RecordSurvey("s1", 2) { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Conflict, "duplicate-survey");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(-1)]
    public void A_rating_outside_one_to_five_is_invalid(int rating)
    {
        var spec = CustomerSpec.GivenRegistered();

        var rejection = spec.When(new RecordSurvey("s1", rating) { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Invalid, "invalid-input");

        Assert.Equal(["rating"], rejection.Errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    public void A_likelihood_to_recommend_outside_zero_to_ten_is_invalid(int recommend)
    {
        var spec = CustomerSpec.GivenRegistered();

        var rejection = spec.When(new RecordSurvey("s1", 3, Recommend: recommend) { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Invalid, "invalid-input");

        Assert.Equal(["recommend"], rejection.Errors.Select(e => e.Field));
    }

    [Fact]
    public void A_repurchase_intent_that_is_not_yes_maybe_or_no_is_invalid()
    {
        var spec = CustomerSpec.GivenRegistered();

        var rejection = spec.When(new RecordSurvey("s1", 3, (RepurchaseIntent)3) { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Invalid, "invalid-input");

        Assert.Equal(["repurchaseIntent"], rejection.Errors.Select(e => e.Field));
    }
}
