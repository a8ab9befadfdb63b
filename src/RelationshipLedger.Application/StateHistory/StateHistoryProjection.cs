using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Projections;
using RelationshipLedger.EventStore.Serialization;
using static RelationshipLedger.Domain.Customers.CustomerEvent;

namespace RelationshipLedger.Application.StateHistory;

/// <summary>
/// The temporal state history, kept by the projection daemon in <c>ledger.state_periods</c>: for every
/// customer touched by a batch, its stream is folded up to the newest version in the batch and its
/// rows are revised to its periods (<see cref="StatePeriods"/>). A back-dated event therefore rewrites the
/// history from its instant on. The fold reads only the customer's own events up to that version —
/// immutable once written — so replaying the log gives the same rows whenever it runs.
/// </summary>
public sealed class StateHistoryProjection(EventSerializer serializer, LifecycleRules rules) : IReplayableProjection
{
    public const string ProjectionName = "state_history";
    public const string PeriodsTable = "state_periods";

    // The events the periods or the name depend on: registration, name, owner, tier, every stage fact, erasure.
    private static readonly string[] Types =
    [
        CustomerEvent.TypeNames[typeof(CustomerRegistered)],
        CustomerEvent.TypeNames[typeof(CustomerProfileUpdated)],
        CustomerEvent.TypeNames[typeof(AccountOwnerAssigned)],
        CustomerEvent.TypeNames[typeof(TierChanged)],
        CustomerEvent.TypeNames[typeof(PurchaseRecorded)],
        CustomerEvent.TypeNames[typeof(PurchaseRefunded)],
        CustomerEvent.TypeNames[typeof(SatisfactionSurveyed)],
        CustomerEvent.TypeNames[typeof(RelationshipEnded)],
        CustomerEvent.TypeNames[typeof(RelationshipReactivated)],
        CustomerEvent.TypeNames[typeof(PersonalDataErased)],
    ];

    private static readonly HashSet<string> TypeSet = Types.ToHashSet(StringComparer.Ordinal);

    // The events that may change the name every period carries: the whole history is revised.
    private static readonly HashSet<string> NamingTypes = new(
        [
            CustomerEvent.TypeNames[typeof(CustomerRegistered)],
            CustomerEvent.TypeNames[typeof(CustomerProfileUpdated)],
            CustomerEvent.TypeNames[typeof(PersonalDataErased)],
        ],
        StringComparer.Ordinal
    );

    /// <summary>
    /// How much earlier than a customer's revision instant its periods are still sent: a period end worked
    /// out here may carry ticks below the microsecond PostgreSQL keeps, so one that ends just before the
    /// instant here may be stored at it. Sending a few more unchanged periods costs only their lookup.
    /// </summary>
    private static readonly TimeSpan RevisionMargin = TimeSpan.FromSeconds(1);

    public IReadOnlyCollection<string>? EventTypes => Types;

    public string Name => ProjectionName;

    public IReadOnlyList<string> Tables { get; } = [PeriodsTable];

    /// <summary>
    /// A second rather than the daemon's quarter: each batch refolds and rewrites every customer it
    /// touches, so a customer with several events in a second costs one revision instead of several
    /// (docs/projections.md, pacing). The portfolio answers "as of" questions; a second of lag is the price.
    /// </summary>
    public TimeSpan? MinimumBatchInterval => TimeSpan.FromSeconds(1);

    /// <summary>What the portfolio queries read by; the daemon's writes find a customer's rows by its id (by_customer and the exclusion index).</summary>
    public IReadOnlyCollection<string> IndexesBuiltAfterBulk { get; } = ["state_periods_by_owner"];

    // Each stream's events from version $2 (the folded state's own last event, or 1) through $3, one
    // index range per stream. The lateral subquery with "offset 0" is not merged into a join: with the
    // statistics of a log that grew since they were taken, the planner hashed the whole events table
    // to pick out a few streams' newest events.
    private const string StreamsSql =
        $"select {StreamFolds.Columns} "
        + "from unnest($1::text[], $2::bigint[], $3::bigint[]) as t(stream_id, since, version) "
        + "cross join lateral (select * from ledger.events e where e.stream_id = t.stream_id "
        + "and e.version >= t.since and e.version <= t.version offset 0) e "
        + $"{EventStore.EventStore.StreamKeyJoin} order by e.stream_id, e.version";

    /// <summary>
    /// The most events the states kept in one generation may fold, in all (a few hundred bytes each): the two
    /// generations hold up to as many as the head cache keeps in all by default (docs/customer-state.md), so
    /// that the customers the commands keep in memory, the daemon keeps too. A stream whose state was let go
    /// of is folded from its newest snapshot and its stage history evaluated anew, which costs its whole
    /// history; and customers written in turn whose states need more than two generations are all let go of
    /// before their next batch (docs/portfolio.md).
    /// </summary>
    internal const long KeptEventsPerGeneration = 250_000;

    private readonly TwoGenerationCache<FoldedStream> _folded = new(
        1024,
        KeptEventsPerGeneration,
        folded => folded.State.Version
    );
    private readonly Lock _foldedLock = new();

    /// <summary>The events the kept states fold, in both generations (at most twice <see cref="KeptEventsPerGeneration"/>).</summary>
    public long KeptEvents
    {
        get
        {
            lock (_foldedLock)
                return _folded.Weight;
        }
    }

    public async Task ApplyAsync(
        IReadOnlyList<RecordedEvent> events,
        AsyncProjectionContext context,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(context);
        var touched = Touched(events);
        if (touched.Count == 0)
            return;
        var states = await FoldAsync(context, touched, cancellationToken);
        await WriteAsync(context, states, RevisedFrom(events), cancellationToken);
    }

    /// <summary>
    /// The customer events besides <see cref="EventTypes"/> that the fold reads: a rebuild's replay
    /// (<see cref="StateHistoryReplay"/>) receives them all, to fold every stream in memory.
    /// </summary>
    public IReadOnlyCollection<string>? ReplayEventTypes { get; } = LedgerEventTypes.Names.ToArray();

    /// <summary>The customer's name, from its registration and profile updates; no note or comment.</summary>
    public IReadOnlyCollection<string>? ReadsProtectedFieldsOf { get; } =
    [
        CustomerEvent.TypeNames[typeof(CustomerEvent.CustomerRegistered)],
        CustomerEvent.TypeNames[typeof(CustomerEvent.CustomerProfileUpdated)],
    ];

    public IProjectionReplay StartReplay() => new StateHistoryReplay(this, serializer, ReplayCacheStreams);

    /// <summary>How many streams' states a replay keeps at hand in each of its two generations.</summary>
    public int ReplayCacheStreams { get; init; } = 1024;

    /// <summary>Whether <paramref name="type"/> is one of <see cref="EventTypes"/>.</summary>
    internal static bool Listens(string type) => TypeSet.Contains(type);

    /// <summary>Each customer with events of <see cref="EventTypes"/> in the batch, and its newest such version.</summary>
    internal static SortedDictionary<string, long> Touched(IReadOnlyList<RecordedEvent> events)
    {
        var touched = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var recorded in events)
            if (Listens(recorded.Type))
                touched[recorded.StreamId] = Math.Max(recorded.Version, touched.GetValueOrDefault(recorded.StreamId));
        return touched;
    }

    /// <summary>
    /// For each customer with events of <see cref="EventTypes"/> in the batch, the earliest instant whose
    /// period they can change: their earliest <c>occurredAt</c>. A period is the customer's tier, stage
    /// and owner over a stretch of time, and each of those at an instant follows from the facts up to that
    /// instant alone (the stage history's premise), so the periods that ended before it stand as they are.
    /// Null when an event may change the name, which every period carries: the whole history is revised.
    /// </summary>
    internal static Dictionary<string, DateTimeOffset?> RevisedFrom(IReadOnlyList<RecordedEvent> events)
    {
        var revisedFrom = new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal);
        foreach (var recorded in events)
        {
            if (!Listens(recorded.Type))
                continue;
            if (NamingTypes.Contains(recorded.Type))
                revisedFrom[recorded.StreamId] = null;
            else if (!revisedFrom.TryGetValue(recorded.StreamId, out var earliest))
                revisedFrom[recorded.StreamId] = recorded.OccurredAt;
            else if (earliest is { } instant && recorded.OccurredAt < instant)
                revisedFrom[recorded.StreamId] = recorded.OccurredAt;
        }
        return revisedFrom;
    }

    /// <summary>
    /// Revises the rows of each customer in <paramref name="states"/> to the periods of its state, from the
    /// instant in <paramref name="revisedFrom"/> on (all of them when it has none): only those periods are
    /// sent and compared, not a long history that cannot have changed.
    /// </summary>
    internal Task WriteAsync(
        AsyncProjectionContext context,
        IReadOnlyList<(string CustomerId, CustomerState State)> states,
        IReadOnlyDictionary<string, DateTimeOffset?> revisedFrom,
        CancellationToken cancellationToken
    )
    {
        var rows = new PeriodRows();
        var customers = new string[states.Count];
        var since = new DateTime?[states.Count];
        for (var i = 0; i < states.Count; i++)
        {
            var (customerId, state) = states[i];
            var from = revisedFrom.GetValueOrDefault(customerId);
            customers[i] = customerId;
            since[i] = from?.UtcDateTime;
            foreach (var period in StatePeriods.Of(state, rules))
                if (from is not { } instant || period.To is not { } to || to >= instant - RevisionMargin)
                    rows.Add(customerId, state, period);
        }
        return ReviseAsync(context, customers, since, rows, cancellationToken);
    }

    /// <summary>Adds the periods of each customer's state to <paramref name="rows"/>.</summary>
    internal void AddPeriods(PeriodRows rows, IEnumerable<(string CustomerId, CustomerState State)> states)
    {
        foreach (var (customerId, state) in states)
        foreach (var period in StatePeriods.Of(state, rules))
            rows.Add(customerId, state, period);
    }

    /// <summary>
    /// Makes the rows of <paramref name="customers"/> that end at or after their instant in
    /// <paramref name="since"/> (all of them where it is null) equal <paramref name="rows"/> (theirs, which
    /// hold at least those periods) while leaving alone each row that already equals one of them: an event
    /// usually changes a customer's last periods only, and a row rewritten costs the upkeep of every index,
    /// the GiST ones above all. First the rows that match no new period (in range, values and name) are
    /// deleted, then the new periods whose range no remaining row holds are inserted — in that order, so
    /// the exclusion constraint never sees the old and the new period of one instant at once.
    /// </summary>
    internal static async Task ReviseAsync(
        AsyncProjectionContext context,
        string[] customers,
        DateTime?[] since,
        PeriodRows rows,
        CancellationToken cancellationToken
    )
    {
        var table = context.Table(PeriodsTable);
        await using var batch = context.CreateBatch();
        var delete = new NpgsqlBatchCommand(
            $"delete from {table} p using unnest($11::text[], $12::timestamptz[]) as x(c, since) "
                + "where p.customer_id = x.c "
                + "and (x.since is null or upper_inf(p.valid_during) or upper(p.valid_during) >= x.since) "
                + $"and not exists (select from {PeriodRows.Unnest} "
                + "where r.c = p.customer_id and r.f = lower(p.valid_during) and r.t is not distinct from upper(p.valid_during) "
                + "and r.ti = p.tier and r.ts = p.tier_since and r.st = p.stage and r.ss = p.stage_since "
                + "and r.o is not distinct from p.owner_id and r.os is not distinct from p.owner_since and r.n = p.name)"
        );
        rows.AddParameters(delete.Parameters);
        delete.Parameters.Add(new() { Value = customers, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        delete.Parameters.Add(new() { Value = since, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        batch.BatchCommands.Add(delete);
        if (rows.Count > 0)
        {
            var insert = new NpgsqlBatchCommand(
                $"{PeriodRows.Insert(table)} where not exists (select from {table} p "
                    + "where p.customer_id = r.c and p.valid_during = tstzrange(r.f, r.t, '[)'))"
            );
            rows.AddParameters(insert.Parameters);
            batch.BatchCommands.Add(insert);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Replaces the rows of <paramref name="customers"/> with <paramref name="rows"/> (theirs): what a
    /// rebuild's bulk replay writes, where most customers have no rows yet and a revision would only add lookups.
    /// </summary>
    internal static async Task ReplaceAsync(
        AsyncProjectionContext context,
        string[] customers,
        PeriodRows rows,
        CancellationToken cancellationToken
    )
    {
        await using var batch = context.CreateBatch();
        var delete = new NpgsqlBatchCommand(
            $"delete from {context.Table(PeriodsTable)} where customer_id = any($1::text[])"
        );
        delete.Parameters.Add(new() { Value = customers, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        batch.BatchCommands.Add(delete);
        if (rows.Count > 0)
        {
            var insert = new NpgsqlBatchCommand(PeriodRows.Insert(context.Table(PeriodsTable)));
            rows.AddParameters(insert.Parameters);
            batch.BatchCommands.Add(insert);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Each touched customer's stream folded up to its newest version in the batch, in customer id order.
    /// A stream folded before by this projection is folded on from the state kept for it (the
    /// events are immutable), reading only its newer events; the kept state is trusted only when the
    /// log still holds its last event, by version and event id, at the head of that read, so a log
    /// restored or another database can never be folded onto it. Other streams are folded on from their
    /// newest snapshot within the batch (<see cref="SnapshotStarts"/>, checked the same way), or from
    /// version 1. The states are kept for the next batch in a bounded <see cref="TwoGenerationCache{TValue}"/>.
    /// </summary>
    internal async Task<List<(string CustomerId, CustomerState State)>> FoldAsync(
        AsyncProjectionContext context,
        SortedDictionary<string, long> touched,
        CancellationToken cancellationToken
    )
    {
        var starts = KeptStates(touched);
        await SnapshotStarts.AddAsync(context, touched, starts, cancellationToken);
        var result = await FoldAsync(context, touched, starts, cancellationToken);
        // A diverged stream, or one the read did not return at all, is folded again from version 1.
        var returned = result.Streams.Select(s => s.CustomerId).ToHashSet(StringComparer.Ordinal);
        var unfolded = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (customerId, newest) in touched)
            if (!returned.Contains(customerId))
                unfolded[customerId] = newest;
        var streams = result.Streams;
        if (unfolded.Count > 0)
        {
            var refolded = await FoldAsync(
                context,
                unfolded,
                new Dictionary<string, FoldedStream>(),
                cancellationToken
            );
            streams = streams.Where(s => !unfolded.ContainsKey(s.CustomerId)).Concat(refolded.Streams).ToList();
        }
        lock (_foldedLock)
        {
            foreach (var (customerId, folded) in streams)
                _folded.Keep(customerId, folded);
        }
        return streams
            .OrderBy(s => s.CustomerId, StringComparer.Ordinal)
            .Select(s => (s.CustomerId, s.Folded.State))
            .ToList();
    }

    /// <summary>The kept state of each touched stream that is not past the batch's newest version for it.</summary>
    private Dictionary<string, FoldedStream> KeptStates(SortedDictionary<string, long> touched)
    {
        var starts = new Dictionary<string, FoldedStream>(StringComparer.Ordinal);
        lock (_foldedLock)
        {
            foreach (var (customerId, newest) in touched)
                if (_folded.TryRecall(customerId, out var kept) && kept.State.Version <= newest)
                    starts[customerId] = kept;
        }
        return starts;
    }

    private async Task<StreamFoldResult> FoldAsync(
        AsyncProjectionContext context,
        SortedDictionary<string, long> touched,
        Dictionary<string, FoldedStream> starts,
        CancellationToken cancellationToken
    )
    {
        await using var command = context.CreateCommand(StreamsSql);
        command.Parameters.Add(
            new() { Value = touched.Keys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text }
        );
        command.Parameters.Add(
            new()
            {
                Value = touched.Keys.Select(id => starts.TryGetValue(id, out var s) ? s.State.Version : 1L).ToArray(),
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint,
            }
        );
        command.Parameters.Add(
            new() { Value = touched.Values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint }
        );
        return await StreamFolds.FoldAsync(command, serializer, starts, cancellationToken);
    }

    /// <summary>The batch's periods as column arrays, for one <c>insert … select from unnest(…)</c>.</summary>
    internal sealed class PeriodRows
    {
        private readonly List<string> _customers = [];
        private readonly List<DateTime> _from = [];
        private readonly List<DateTime?> _to = [];
        private readonly List<string> _tiers = [];
        private readonly List<DateTime> _tierSince = [];
        private readonly List<string> _stages = [];
        private readonly List<DateTime> _stageSince = [];
        private readonly List<string?> _owners = [];
        private readonly List<DateTime?> _ownerSince = [];
        private readonly List<string> _names = [];

        /// <summary>The rows as the relation <c>r</c>, from parameters $1–$10 (<see cref="AddParameters"/>).</summary>
        public const string Unnest =
            "unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::text[], $5::timestamptz[], $6::text[], "
            + "$7::timestamptz[], $8::text[], $9::timestamptz[], $10::text[]) as r(c, f, t, ti, ts, st, ss, o, os, n)";

        /// <summary>Inserts the rows into <paramref name="table"/>; a <c>where</c> on <c>r</c> may follow.</summary>
        public static string Insert(string table) =>
            $"insert into {table} "
            + "(customer_id, valid_during, tier, tier_since, stage, stage_since, owner_id, owner_since, name) "
            + $"select c, tstzrange(f, t, '[)'), ti, ts, st, ss, o, os, n from {Unnest}";

        public int Count => _customers.Count;

        public void Add(string customerId, CustomerState state, StatePeriod period)
        {
            _customers.Add(customerId);
            _from.Add(period.From.UtcDateTime);
            _to.Add(period.To?.UtcDateTime);
            _tiers.Add(period.Tier.ToString());
            _tierSince.Add(period.TierSince.UtcDateTime);
            _stages.Add(period.Stage.ToString());
            _stageSince.Add(period.StageSince.UtcDateTime);
            _owners.Add(period.OwnerId);
            _ownerSince.Add(period.OwnerSince?.UtcDateTime);
            _names.Add(state.Name);
        }

        public void AddParameters(NpgsqlParameterCollection parameters)
        {
            Add(parameters, _customers.ToArray(), NpgsqlDbType.Text);
            Add(parameters, _from.ToArray(), NpgsqlDbType.TimestampTz);
            Add(parameters, _to.ToArray(), NpgsqlDbType.TimestampTz);
            Add(parameters, _tiers.ToArray(), NpgsqlDbType.Text);
            Add(parameters, _tierSince.ToArray(), NpgsqlDbType.TimestampTz);
            Add(parameters, _stages.ToArray(), NpgsqlDbType.Text);
            Add(parameters, _stageSince.ToArray(), NpgsqlDbType.TimestampTz);
            Add(parameters, _owners.ToArray(), NpgsqlDbType.Text);
            Add(parameters, _ownerSince.ToArray(), NpgsqlDbType.TimestampTz);
            Add(parameters, _names.ToArray(), NpgsqlDbType.Text);
        }

        private static void Add(NpgsqlParameterCollection parameters, Array values, NpgsqlDbType type) =>
            parameters.Add(new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | type });
    }
}
