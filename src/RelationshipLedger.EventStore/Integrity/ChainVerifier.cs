namespace RelationshipLedger.EventStore.Integrity;

/// <summary>
/// Recomputes every hash chain from the stored rows alone and compares each with its stream's head.
/// It reads the log once, in <c>(stream_id, version)</c> order, keeping only each stream's head in memory.
/// </summary>
public sealed class ChainVerifier(EventStore store)
{
    /// <summary>Verifies one stream; a stream that does not exist verifies with zero events.</summary>
    public async Task<StreamVerification> VerifyStreamAsync(
        string streamId,
        CancellationToken cancellationToken = default
    )
    {
        var check = new StreamChainCheck(streamId);
        await foreach (var recorded in store.ReadStreamAsync(streamId, StreamReadOptions.Stored, cancellationToken))
            check.Add(recorded);
        var head = await store.GetStreamAsync(streamId, cancellationToken);
        check.Finish(head?.Version, head is null ? default : head.HeadHash.Span);
        return new StreamVerification(streamId, check.Events, check.FirstBroken);
    }

    public async Task<LedgerVerification> VerifyAllAsync(
        IProgress<long>? eventsVerified = null,
        CancellationToken cancellationToken = default
    )
    {
        var ends = new Dictionary<string, StreamChainCheck>(StringComparer.Ordinal);
        long events = 0;
        await using (
            var command = store.DataSource.CreateCommand(
                "select seq_id, tx_id, event_id, stream_id, version, type, data, metadata, occurred_at, recorded_at, hash "
                    + "from ledger.events order by stream_id, version"
            )
        )
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            StreamChainCheck? current = null;
            while (await reader.ReadAsync(cancellationToken))
            {
                var recorded = EventStore.ReadStoredEvent(reader);
                if (current is null || !string.Equals(recorded.StreamId, current.StreamId, StringComparison.Ordinal))
                {
                    current = new StreamChainCheck(recorded.StreamId);
                    ends.Add(recorded.StreamId, current);
                }
                current.Add(recorded);
                if (++events % 10_000 == 0)
                    eventsVerified?.Report(events);
            }
        }
        eventsVerified?.Report(events);

        var broken = new List<ChainBreak>();
        long streams = 0;
        await using (var command = store.DataSource.CreateCommand("select id, version, head_hash from ledger.streams"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                streams++;
                var streamId = reader.GetString(0);
                if (!ends.Remove(streamId, out var check))
                    check = new StreamChainCheck(streamId);
                check.Finish(reader.GetInt64(1), reader.GetFieldValue<byte[]>(2));
                if (check.FirstBroken is { } chainBreak)
                    broken.Add(chainBreak);
            }
        }
        foreach (var orphan in ends.Values)
        {
            orphan.Finish(null, default);
            broken.Add(orphan.FirstBroken!);
        }
        broken.Sort((a, b) => string.CompareOrdinal(a.StreamId, b.StreamId));
        return new LedgerVerification(streams + ends.Count, events, broken);
    }
}
