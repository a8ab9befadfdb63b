namespace RelationshipLedger.EventStore;

/// <summary>A stream's head: its type, current version, and the hash of its last event.</summary>
public sealed record StreamInfo(
    string Id,
    string Type,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    ReadOnlyMemory<byte> HeadHash
);

/// <summary>The result of folding a stream: the state and the version of the last event folded (0 for none).</summary>
public sealed record Folded<TState>(TState State, long Version, int EventCount);
