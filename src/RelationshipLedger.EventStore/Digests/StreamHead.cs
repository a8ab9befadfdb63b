namespace RelationshipLedger.EventStore.Digests;

/// <summary>A stream's head as a digest saw it: its last version and that event's chain hash.</summary>
public sealed record StreamHead(string StreamId, long Version, byte[] Hash)
{
    /// <summary>Heads in the order a digest's tree takes them: by stream id, ordinal.</summary>
    public static readonly IComparer<StreamHead> ByStreamId = Comparer<StreamHead>.Create(
        (a, b) => string.CompareOrdinal(a.StreamId, b.StreamId)
    );
}

/// <summary>A digest of the whole log: at <see cref="Position"/>, <see cref="Streams"/> heads under <see cref="Root"/>.</summary>
public sealed record LedgerDigest(
    long Id,
    DateTimeOffset TakenAt,
    GlobalPosition Position,
    long Streams,
    long Events,
    byte[] Root
);
