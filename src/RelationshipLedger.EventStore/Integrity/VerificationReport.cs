namespace RelationshipLedger.EventStore.Integrity;

/// <summary>The first place a stream's chain does not hold, and why.</summary>
public sealed record ChainBreak(string StreamId, long Version, string Reason);

/// <summary>One stream's verification: valid when <see cref="FirstBroken"/> is null.</summary>
public sealed record StreamVerification(string StreamId, long Events, ChainBreak? FirstBroken)
{
    public bool Valid => FirstBroken is null;
}

/// <summary>The whole log's verification: every stream's chain and head, with the first break of each broken stream.</summary>
public sealed record LedgerVerification(long Streams, long Events, IReadOnlyList<ChainBreak> Broken)
{
    public bool Valid => Broken.Count == 0;
}
