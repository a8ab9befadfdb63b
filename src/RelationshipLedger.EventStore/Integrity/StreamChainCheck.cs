namespace RelationshipLedger.EventStore.Integrity;

/// <summary>Checks one stream's events, fed in version order, against their hash chain and the stream's head.</summary>
internal sealed class StreamChainCheck(string streamId)
{
    private long _nextVersion = 1;

    public string StreamId { get; } = streamId;
    private byte[] _lastHash = [];

    public ChainBreak? FirstBroken { get; private set; }

    public long Events { get; private set; }

    public long LastVersion => _nextVersion - 1;

    public ReadOnlySpan<byte> LastHash => _lastHash;

    public void Add(RecordedEvent recorded)
    {
        Events++;
        if (FirstBroken is not null)
            return;
        if (recorded.Version != _nextVersion)
        {
            FirstBroken = new ChainBreak(
                StreamId,
                _nextVersion,
                $"version {_nextVersion} is missing: the next stored event is version {recorded.Version}"
            );
            return;
        }
        var computed = CanonicalEvent.Hash(_lastHash, recorded);
        if (!computed.AsSpan().SequenceEqual(recorded.Hash.Span))
        {
            FirstBroken = new ChainBreak(
                StreamId,
                recorded.Version,
                "the stored event does not match its hash: its content, version or place in the stream was altered"
            );
            return;
        }
        _lastHash = computed;
        _nextVersion++;
    }

    /// <summary>Compares the end of the chain with the stream's head row (null when that row is missing).</summary>
    public void Finish(long? headVersion, ReadOnlySpan<byte> headHash)
    {
        if (FirstBroken is not null)
            return;
        if (headVersion is null && Events == 0)
            return; // No such stream: nothing to verify.
        if (headVersion is null)
            FirstBroken = new ChainBreak(StreamId, 1, "the stream has events but no head row");
        else if (Events == 0)
            FirstBroken = new ChainBreak(
                StreamId,
                1,
                $"the stream's head says version {headVersion} but no event is stored"
            );
        else if (headVersion != LastVersion)
            FirstBroken = new ChainBreak(
                StreamId,
                LastVersion + 1,
                $"the stream's head says version {headVersion} but the last stored event is version {LastVersion}"
            );
        else if (!headHash.SequenceEqual(_lastHash))
            FirstBroken = new ChainBreak(StreamId, LastVersion, "the stream head's hash does not match its last event");
    }
}
