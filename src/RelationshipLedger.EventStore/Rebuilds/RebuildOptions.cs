namespace RelationshipLedger.EventStore.Rebuilds;

/// <summary>How a rebuild batches, when it swaps, and what it calls itself.</summary>
public sealed record RebuildOptions
{
    /// <summary>
    /// The most events replayed into the shadow in one transaction (with the rebuild's checkpoint).
    /// Larger than the daemon's: nobody reads the shadow, but a batch still holds back readers of the
    /// log while it is open, so it stays a fraction of a second.
    /// </summary>
    public int BatchSize { get; init; } = 2000;

    /// <summary>
    /// The most batches the swap's transaction applies before it gives up and lets the rebuild catch
    /// up outside it again: the swap holds the projection's checkpoint row, so it must stay short.
    /// </summary>
    public int MaxSwapBatches { get; init; } = 4;

    /// <summary>How often the events still to replay are counted again (the total grows while writers append).</summary>
    public TimeSpan RecountInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>This process as operators see it (the rebuild's node, and in <c>pg_stat_activity</c>).</summary>
    public string NodeName { get; init; } = $"{Environment.MachineName}/{Environment.ProcessId}";

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSwapBatches, 1, nameof(MaxSwapBatches));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RecountInterval, TimeSpan.Zero, nameof(RecountInterval));
        ArgumentException.ThrowIfNullOrWhiteSpace(NodeName, nameof(NodeName));
    }
}
