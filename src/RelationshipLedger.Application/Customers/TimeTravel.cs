namespace RelationshipLedger.Application.Customers;

/// <summary>
/// Which past a question is about: up to a version, as of a business instant (what had happened),
/// as known at a system instant (what had been recorded), or a mix. <see cref="Now"/> is none of them.
/// </summary>
public sealed record TimeTravel(long? Version = null, DateTimeOffset? AsOf = null, DateTimeOffset? KnownAt = null)
{
    public static TimeTravel Now { get; } = new();

    public bool IsNow => Version is null && AsOf is null && KnownAt is null;
}
