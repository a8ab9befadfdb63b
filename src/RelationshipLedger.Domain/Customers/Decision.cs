namespace RelationshipLedger.Domain.Customers;

/// <summary>Why a command was refused: bad input (400), no such customer (404), or a broken rule (409).</summary>
public enum RejectionKind
{
    Invalid,
    NotFound,
    Conflict,
}

public sealed record FieldError(string Field, string Message);

/// <summary>A refused command: a stable code, a sentence for people, and for bad input the fields at fault.</summary>
public sealed record Rejection(RejectionKind Kind, string Code, string Message, IReadOnlyList<FieldError> Errors)
{
    public static Rejection Invalid(IReadOnlyList<FieldError> errors) =>
        new(RejectionKind.Invalid, "invalid-input", "The command has invalid fields.", errors);

    public static Rejection Conflict(string code, string message) => new(RejectionKind.Conflict, code, message, []);

    public static Rejection NotFound(string message) => new(RejectionKind.NotFound, "customer-not-found", message, []);
}

/// <summary>The outcome of <see cref="CustomerDecider.Decide"/>: the events to append, or why not.</summary>
public sealed record Decision
{
    private Decision(IReadOnlyList<CustomerEvent> events, Rejection? rejection)
    {
        Events = events;
        Rejection = rejection;
    }

    public IReadOnlyList<CustomerEvent> Events { get; }

    public Rejection? Rejection { get; }

    public bool IsAccepted => Rejection is null;

    public static Decision Accept(params CustomerEvent[] events) => new(events, null);

    public static Decision Reject(Rejection rejection) => new([], rejection);

    public static implicit operator Decision(Rejection rejection) => Reject(rejection);

    public static implicit operator Decision(CustomerEvent @event) => Accept(@event);
}
