namespace RelationshipLedger.EventStore;

/// <summary>An append's expected version did not hold: another writer got there first. Nothing was appended.</summary>
public sealed class ConcurrencyConflictException : Exception
{
    public ConcurrencyConflictException(string streamId, ExpectedVersion expected, long? actualVersion)
        : base(
            $"Stream '{streamId}' was expected at {expected} but is at "
                + (
                    actualVersion is { } v and > 0 ? $"version {v}"
                    : actualVersion is 0 ? "no stream"
                    : "a newer version"
                )
                + "."
        )
    {
        StreamId = streamId;
        Expected = expected;
        ActualVersion = actualVersion;
    }

    public ConcurrencyConflictException() { }

    public ConcurrencyConflictException(string message)
        : base(message) => StreamId = "";

    public ConcurrencyConflictException(string message, Exception innerException)
        : base(message, innerException) => StreamId = "";

    public string StreamId { get; } = "";

    public ExpectedVersion Expected { get; }

    /// <summary>The stream's version when the conflict was seen (0 = no stream); null when a race made it unknown.</summary>
    public long? ActualVersion { get; }
}
