using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Testing;
using static RelationshipLedger.Domain.Customers.CustomerCommand;
using static RelationshipLedger.Domain.Customers.CustomerEvent;

namespace RelationshipLedger.Domain.Tests.Customers;

// domain.md §3: occurredAt is business time, supplied by the caller or now, never in the future beyond a
// small skew (5 minutes); nothing happens to a customer before it was registered.
public class TimeRuleTests
{
    private static readonly DateTimeOffset RegisteredAt = CustomerSpec.Start;
    private static readonly DateTimeOffset IssuedAt = RegisteredAt.AddDays(3);

    [Fact]
    public void Without_occurredAt_the_event_happens_when_the_command_was_issued()
    {
        var spec = CustomerSpec.GivenRegistered();
        var command = new RecordPurchase("o1", 10m, "EUR") { IssuedAt = IssuedAt };

        spec.When(command).ThenEvents(new PurchaseRecorded("o1", 10m, "EUR"));
        Assert.Equal(IssuedAt, command.EffectiveAt);
    }

    [Fact]
    public void Business_time_up_to_five_minutes_ahead_of_the_caller_is_accepted()
    {
        var spec = CustomerSpec.GivenRegistered();

        spec.When(new RecordPurchase("o1", 10m, "EUR") { IssuedAt = IssuedAt, OccurredAt = IssuedAt.AddMinutes(5) })
            .ThenEvents(new PurchaseRecorded("o1", 10m, "EUR"));
    }

    [Fact]
    public void Business_time_more_than_five_minutes_ahead_of_the_caller_is_invalid()
    {
        var spec = CustomerSpec.GivenRegistered();

        var rejection = spec.When(
                new RecordPurchase("o1", 10m, "EUR")
                {
                    IssuedAt = IssuedAt,
                    OccurredAt = IssuedAt.AddMinutes(5).AddTicks(10),
                }
            )
            .ThenRejected(RejectionKind.Invalid, "invalid-input");

        Assert.Equal(["occurredAt"], rejection.Errors.Select(e => e.Field));
    }

    [Fact]
    public void A_registration_in_the_future_is_invalid_too()
    {
        var rejection = CustomerSpec
            .Given()
            .When(
                new RegisterCustomer("Acme", CustomerKind.Organization)
                {
                    IssuedAt = IssuedAt,
                    OccurredAt = IssuedAt.AddHours(1),
                }
            )
            .ThenRejected(RejectionKind.Invalid, "invalid-input");

        Assert.Equal(["occurredAt"], rejection.Errors.Select(e => e.Field));
    }

    [Fact]
    public void A_fact_from_the_past_may_be_recorded_late()
    {
        var spec = CustomerSpec.GivenRegistered();

        spec.When(new RecordSurvey("s1", 4) { IssuedAt = IssuedAt, OccurredAt = RegisteredAt.AddDays(1) })
            .ThenEvents(new SatisfactionSurveyed("s1", 4));
    }

    [Fact]
    public void A_fact_dated_before_the_registration_is_refused()
    {
        var spec = CustomerSpec.GivenRegistered();

        spec.When(new RecordPurchase("o1", 10m, "EUR") { IssuedAt = IssuedAt, OccurredAt = RegisteredAt.AddTicks(-10) })
            .ThenRejected(RejectionKind.Conflict, "before-registration");
    }

    [Fact]
    public void A_fact_at_the_instant_of_registration_is_accepted()
    {
        var spec = CustomerSpec.GivenRegistered();

        spec.When(new RecordPurchase("o1", 10m, "EUR") { IssuedAt = IssuedAt, OccurredAt = RegisteredAt })
            .ThenEvents(new PurchaseRecorded("o1", 10m, "EUR"));
    }
}
