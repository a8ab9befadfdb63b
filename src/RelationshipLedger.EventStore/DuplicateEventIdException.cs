namespace RelationshipLedger.EventStore;

/// <summary>An event with the same event id is already in the log; event ids are unique across all streams.</summary>
public sealed class DuplicateEventIdException : Exception
{
    public DuplicateEventIdException() { }

    public DuplicateEventIdException(string message)
        : base(message) { }

    public DuplicateEventIdException(string message, Exception innerException)
        : base(message, innerException) { }
}
