using RelationshipLedger.Domain.Customers;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Projections;
using RelationshipLedger.EventStore.Serialization;
using static RelationshipLedger.Domain.Customers.CustomerEvent;

namespace RelationshipLedger.Application.ChurnWatch;

/// <summary>
/// The churn watch list, kept by the projection daemon in <c>ledger.churn_watch</c>: per customer the
/// latest <see cref="ChurnRiskFlagged"/> (cleared by a <see cref="RelationshipEnded"/> after it, which
/// closes every episode: an ended relationship has no signals) and the latest
/// <see cref="ContactRecorded"/> by business time. The decider dates each flag no earlier than the
/// flags and ends before it, so log order is business-time order for these two. Whether a listed
/// episode has since closed because the signals cleared is a question of the clock, which a fold may
/// not ask: <see cref="ChurnWatchQueries"/> answers it when the list is read.
/// </summary>
public sealed class ChurnWatchProjection(EventSerializer serializer) : IReplayableProjection
{
    public const string ProjectionName = "churn_watch";
    public const string WatchTable = "churn_watch";

    private const string MergeSql = """
        merge into {table} as w
        using (
            select * from unnest($1::text[], $2::text[], $3::timestamptz[], $4::bigint[], $5::text[],
                                 $6::timestamptz[], $7::bigint[], $8::text[], $9::text[], $10::text[],
                                 $11::xid8[], $12::bigint[])
                as s(customer_id, flag_action, flagged_at, flag_version, signals,
                     contact_at, contact_version, channel, initiator, purpose, position_tx, position_seq)
        ) as s
        on w.customer_id = s.customer_id
        when matched then update set
            flagged_at = case s.flag_action when 'set' then s.flagged_at when 'clear' then null else w.flagged_at end,
            flag_version = case s.flag_action when 'set' then s.flag_version when 'clear' then null else w.flag_version end,
            signals = case s.flag_action
                when 'set' then string_to_array(s.signals, ',') when 'clear' then null else w.signals end,
            last_contact_at = case when {later} then s.contact_at else w.last_contact_at end,
            last_contact_version = case when {later} then s.contact_version else w.last_contact_version end,
            last_contact_channel = case when {later} then s.channel else w.last_contact_channel end,
            last_contact_initiator = case when {later} then s.initiator else w.last_contact_initiator end,
            last_contact_purpose = case when {later} then s.purpose else w.last_contact_purpose end,
            position_tx = s.position_tx,
            position_seq = s.position_seq
        when not matched then insert
            (customer_id, flagged_at, flag_version, signals, last_contact_at, last_contact_version,
             last_contact_channel, last_contact_initiator, last_contact_purpose, position_tx, position_seq)
            values (s.customer_id,
                    case when s.flag_action = 'set' then s.flagged_at end,
                    case when s.flag_action = 'set' then s.flag_version end,
                    case when s.flag_action = 'set' then string_to_array(s.signals, ',') end,
                    s.contact_at, s.contact_version, s.channel, s.initiator, s.purpose,
                    s.position_tx, s.position_seq)
        """;

    // The batch's latest contact replaces the row's only when it is later by (occurred_at, version).
    private const string LaterContact =
        "s.contact_at is not null and (w.last_contact_at is null "
        + "or (s.contact_at, s.contact_version) > (w.last_contact_at, w.last_contact_version))";

    public string Name => ProjectionName;

    public IReadOnlyCollection<string>? EventTypes { get; } =
    [
        CustomerEvent.TypeNames[typeof(ChurnRiskFlagged)],
        CustomerEvent.TypeNames[typeof(RelationshipEnded)],
        CustomerEvent.TypeNames[typeof(ContactRecorded)],
    ];

    public IReadOnlyList<string> Tables { get; } = [WatchTable];

    /// <summary>What the watchlist reads by; the merge finds rows by the primary key.</summary>
    public IReadOnlyCollection<string> IndexesBuiltAfterBulk { get; } = ["churn_watch_flagged"];

    /// <summary>Contacts' channel, initiator and purpose, never their notes (nor an end's).</summary>
    public IReadOnlyCollection<string> ReadsProtectedFieldsOf { get; } = [];

    /// <summary>A rebuild's bulk decodes each batch on its reading side, while the one before is merged.</summary>
    public IReadOnlyCollection<string>? ReplayEventTypes => EventTypes;

    public IProjectionReplay StartReplay() => new StatelessReplay(ChangesOf);

    public Task ApplyAsync(
        IReadOnlyList<RecordedEvent> events,
        AsyncProjectionContext context,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(context);
        return ChangesOf(events).ApplyAsync(context, cancellationToken);
    }

    private MergeBatch ChangesOf(IReadOnlyList<RecordedEvent> events)
    {
        var changes = new WatchChanges();
        foreach (var recorded in events)
            changes.Apply(recorded, serializer.Deserialize(recorded.Type, recorded.Data));
        return new MergeBatch(changes);
    }

    /// <summary>A batch's changes, merged into the watch in one statement.</summary>
    private sealed class MergeBatch(WatchChanges changes) : IReplayBatch
    {
        public async Task ApplyAsync(AsyncProjectionContext context, CancellationToken cancellationToken)
        {
            if (changes.Count == 0)
                return;
            await using var command = context.CreateCommand(
                MergeSql
                    .Replace("{table}", context.Table(WatchTable), StringComparison.Ordinal)
                    .Replace("{later}", LaterContact, StringComparison.Ordinal)
            );
            changes.AddParameters(command.Parameters);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
