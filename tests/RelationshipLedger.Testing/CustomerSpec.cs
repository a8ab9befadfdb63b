using RelationshipLedger.Domain.Customers;
using Xunit;

namespace RelationshipLedger.Testing;

/// <summary>
/// Given(events) / When(command) / Then(events | rejection) for the customer decider, without a
/// database. Given events happen one minute apart from <see cref="Start"/> unless placed with <see cref="At"/>.
/// </summary>
public sealed class CustomerSpec
{
    public static readonly DateTimeOffset Start = new(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);

    private DateTimeOffset _next = Start;

    public CustomerState State { get; private set; } = CustomerState.Initial;

    /// <summary>The instant after the last given event: the default time of the command under test.</summary>
    public DateTimeOffset Now => _next;

    public static CustomerSpec Given(params CustomerEvent[] events) => new CustomerSpec().And(events);

    /// <summary>A registered organisation named Acme.</summary>
    public static CustomerSpec GivenRegistered() =>
        Given(new CustomerEvent.CustomerRegistered("Acme", CustomerKind.Organization));

    /// <summary>Places the next given events at <paramref name="instant"/>.</summary>
    public CustomerSpec At(DateTimeOffset instant)
    {
        _next = instant;
        return this;
    }

    public CustomerSpec And(params CustomerEvent[] events)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var @event in events)
        {
            State = CustomerDecider.Evolve(State, @event, new EventMoment(State.Version + 1, _next));
            _next = _next.AddMinutes(1);
        }
        return this;
    }

    /// <summary>Decides <paramref name="command"/> (its IssuedAt is usually <see cref="Now"/>).</summary>
    public Decision When(CustomerCommand command) => CustomerDecider.Decide(command, State);
}

public static class DecisionAssertions
{
    public static void ThenEvents(this Decision decision, params CustomerEvent[] expected)
    {
        ArgumentNullException.ThrowIfNull(decision);
        Assert.True(decision.IsAccepted, $"Expected events but the command was rejected: {decision.Rejection}");
        Assert.Equal(expected, decision.Events);
    }

    public static Rejection ThenRejected(this Decision decision, RejectionKind kind, string code)
    {
        ArgumentNullException.ThrowIfNull(decision);
        Assert.False(
            decision.IsAccepted,
            $"Expected a rejection '{code}' but got events: {string.Join(", ", decision.Events)}"
        );
        Assert.Equal(kind, decision.Rejection!.Kind);
        Assert.Equal(code, decision.Rejection.Code);
        Assert.Empty(decision.Events);
        return decision.Rejection;
    }
}
