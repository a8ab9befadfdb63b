namespace RelationshipLedger.EventStore.Protection;

/// <summary>
/// An append carried a value for a protected field of a stream whose key was erased: the stream's
/// personal data is gone for good, and new personal data for it is not taken. Nothing was appended.
/// </summary>
public sealed class StreamErasedException(string streamId, string field)
    : InvalidOperationException(
        $"The personal data of '{streamId}' was erased: '{field}' cannot be recorded for it any more."
    )
{
    public string StreamId { get; } = streamId;

    public string Field { get; } = field;
}
