using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Application.Customers;

/// <summary>What a command did: the stream's new version and the events appended, or why nothing was.</summary>
public sealed record CommandOutcome
{
    private CommandOutcome(
        string customerId,
        long version,
        IReadOnlyList<Guid> eventIds,
        Rejection? rejection,
        bool stale
    )
    {
        CustomerId = customerId;
        Version = version;
        EventIds = eventIds;
        Rejection = rejection;
        IsStale = stale;
    }

    public string CustomerId { get; }

    /// <summary>The stream's version after the command (or as found, when refused).</summary>
    public long Version { get; }

    public IReadOnlyList<Guid> EventIds { get; }

    public Rejection? Rejection { get; }

    /// <summary>The caller's expected version did not hold (412); nothing was appended.</summary>
    public bool IsStale { get; }

    public bool IsAccepted => Rejection is null && !IsStale;

    public static CommandOutcome Accepted(string customerId, long version, IReadOnlyList<Guid> eventIds) =>
        new(customerId, version, eventIds, null, false);

    public static CommandOutcome Rejected(string customerId, long version, Rejection rejection) =>
        new(customerId, version, [], rejection, false);

    public static CommandOutcome Stale(string customerId, long actualVersion) =>
        new(customerId, actualVersion, [], null, true);
}
