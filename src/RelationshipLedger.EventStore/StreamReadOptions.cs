namespace RelationshipLedger.EventStore;

/// <summary>The order a stream is read or folded in.</summary>
public enum StreamOrder
{
    /// <summary>The order events were appended: version.</summary>
    Version,

    /// <summary>Business-time order, <c>(occurred_at, version)</c>: a back-dated event takes its place in history.</summary>
    OccurredAt,
}

/// <summary>
/// Which events of a stream to read: a version range, only what had happened by a business instant
/// (valid time), only what had been recorded by a knowledge instant (system time), or any mix.
/// </summary>
public sealed record StreamReadOptions
{
    public static StreamReadOptions All { get; } = new();

    public long FromVersion { get; init; } = 1;

    public long? ToVersion { get; init; }

    /// <summary>Only events with <c>occurred_at ≤</c> this instant.</summary>
    public DateTimeOffset? OccurredAtOrBefore { get; init; }

    /// <summary>Only events with <c>recorded_at ≤</c> this instant: what the ledger knew then.</summary>
    public DateTimeOffset? RecordedAtOrBefore { get; init; }

    public StreamOrder Order { get; init; } = StreamOrder.Version;

    /// <summary>
    /// The payloads exactly as stored — protected fields still encrypted — instead of revealed: what the
    /// hash chain covers (verification, proof bundles).
    /// </summary>
    public bool AsStored { get; init; }

    /// <summary>The whole stream as stored.</summary>
    public static StreamReadOptions Stored { get; } = new() { AsStored = true };

    /// <summary>The state at business instant <paramref name="asOf"/>, optionally as known at <paramref name="knownAt"/>.</summary>
    public static StreamReadOptions AsOf(DateTimeOffset asOf, DateTimeOffset? knownAt = null) =>
        new()
        {
            OccurredAtOrBefore = asOf,
            RecordedAtOrBefore = knownAt,
            Order = StreamOrder.OccurredAt,
        };

    /// <summary>The stream up to and including <paramref name="version"/>.</summary>
    public static StreamReadOptions UpToVersion(long version) => new() { ToVersion = version };

    /// <summary>What the ledger had recorded by <paramref name="knownAt"/>, in append order.</summary>
    public static StreamReadOptions KnownAt(DateTimeOffset knownAt) => new() { RecordedAtOrBefore = knownAt };
}
