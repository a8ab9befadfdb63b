namespace RelationshipLedger.EventStore.Daemon;

/// <summary>
/// A batch a runner may apply: the events, and how far the projection has then seen the log. When
/// the page was not full, every event of the projection's types up to the head is in it, so the
/// checkpoint may move to the head even past events of other types.
/// </summary>
/// <param name="HeldBack">Committed events wait behind a transaction that is still open (the reader will see them once it ends).</param>
internal sealed record SafeBatch(IReadOnlyList<RecordedEvent> Events, GlobalPosition Through, bool HeldBack);

/// <summary>
/// What is safe to read: the store's gap-free page after a checkpoint (only events of transactions
/// that have finished, below the oldest running writer), and the head of that safe part of the log.
/// </summary>
internal sealed class SafeLogReader(EventStore store)
{
    // The last event of a finished transaction, and whether committed events already wait behind an
    // open one. Both bounds come from one snapshot. "Held back" compares the newest event's tx_id with
    // that bound rather than asking whether any row lies above it: the planner does not know the bound,
    // guesses a third of the log above it and would answer an EXISTS with a scan of the whole table
    // (it did, polled four times a second, while the statistics lagged a growing log). Both lookups
    // are one step down the (tx_id, seq_id) index, whatever the statistics say.
    private const string HeadSql = """
        with snapshot as (select pg_snapshot_xmin(pg_current_snapshot()) as xmin)
        select head.tx_id, head.seq_id, coalesce(newest.tx_id >= snapshot.xmin, false) as held_back
        from snapshot
        left join lateral (
            select e.tx_id, e.seq_id from ledger.events e
            where e.tx_id < snapshot.xmin
            order by e.tx_id desc, e.seq_id desc
            limit 1
        ) head on true
        left join lateral (
            select e.tx_id from ledger.events e order by e.tx_id desc, e.seq_id desc limit 1
        ) newest on true
        """;

    /// <summary>
    /// Up to <paramref name="limit"/> events of <paramref name="types"/> after <paramref name="after"/>.
    /// The head is read first: whatever a later snapshot reads includes everything below that head,
    /// so a page that is not full proves that nothing of these types lies between it and the head.
    /// </summary>
    public async Task<SafeBatch> ReadAsync(
        GlobalPosition after,
        int limit,
        IReadOnlyCollection<string>? types,
        CancellationToken cancellationToken
    )
    {
        var (head, heldBack) = await HeadAsync(cancellationToken);
        var events = await store.ReadAllAsync(after, limit, types, cancellationToken);
        var through = events.Count > 0 ? events[^1].Position : after;
        if (events.Count < limit && head > through)
            through = head;
        return new SafeBatch(events, through, heldBack);
    }

    private async Task<(GlobalPosition Head, bool HeldBack)> HeadAsync(CancellationToken cancellationToken)
    {
        await using var command = store.DataSource.CreateCommand(HeadSql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var head = reader.IsDBNull(0)
            ? GlobalPosition.Start
            : new GlobalPosition(reader.GetFieldValue<ulong>(0), reader.GetInt64(1));
        return (head, reader.GetBoolean(2));
    }
}
