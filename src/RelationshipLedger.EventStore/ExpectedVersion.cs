namespace RelationshipLedger.EventStore;

/// <summary>What an append expects the stream's version to be; a mismatch is a <see cref="ConcurrencyConflictException"/>.</summary>
public readonly record struct ExpectedVersion
{
    private ExpectedVersion(long? value) => Value = value;

    /// <summary>The stream version required, 0 meaning "no stream", null meaning "any".</summary>
    public long? Value { get; }

    /// <summary>Append whatever the stream's version is (creating it when needed).</summary>
    public static ExpectedVersion Any { get; } = new(null);

    /// <summary>The stream must not exist yet.</summary>
    public static ExpectedVersion NoStream { get; } = new(0);

    /// <summary>The stream must be at exactly <paramref name="version"/> (0 is the same as <see cref="NoStream"/>).</summary>
    public static ExpectedVersion Exactly(long version) =>
        version >= 0
            ? new(version)
            : throw new ArgumentOutOfRangeException(nameof(version), version, "A stream version is never negative.");

    public override string ToString() =>
        Value switch
        {
            null => "any",
            0 => "no stream",
            var v => $"version {v}",
        };
}
