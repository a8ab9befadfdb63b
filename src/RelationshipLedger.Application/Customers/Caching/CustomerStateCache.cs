using RelationshipLedger.Application.Customers.Snapshots;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Application.Customers.Caching;

/// <summary>
/// Customer states this process has already folded, so that a command or a read neither deserializes
/// a stored state nor folds the stream again: the latest committed state of each recently used
/// customer (its head), and the snapshots read for time travel.
/// <para>
/// Only states made of committed events go in, each with the version it folds. Every user checks for
/// newer events — a read folds the tail after the cached version, a command appends with the cached
/// version as the expected one and reloads on a conflict — so a stale entry costs a fold of the tail,
/// never a wrong answer, and several processes can share one database. Snapshots never change once
/// written (their format is part of the key).
/// </para>
/// <para>
/// Both kinds are bounded by count and by the events their states fold (a state's size grows with its
/// history: a few hundred bytes per event), so the memory they hold stops growing however long the
/// customers' histories get: at most <c>capacity</c> entries and <c>maxEvents</c> events each.
/// </para>
/// </summary>
public sealed class CustomerStateCache(
    int capacity = CustomerStateCache.DefaultCapacity,
    long maxEvents = CustomerStateCache.DefaultMaxEvents
)
{
    /// <summary>Customers (and as many snapshots) kept per process.</summary>
    public const int DefaultCapacity = 10_000;

    /// <summary>
    /// The events the cached heads fold, in all (and as many for the snapshots): up to about 350 MiB each
    /// at the 700 bytes an event a state held in <c>ledger bench load</c>. With 250,000, 40 customers
    /// written in turn outgrew the heads after three minutes, and every command on a dropped head decoded
    /// its snapshot again (docs/benchmarks.md, "Stop 20").
    /// </summary>
    public const long DefaultMaxEvents = 500_000;

    private readonly BoundedCache<string, LoadedCustomer> _heads = new(capacity, maxEvents, head => head.Version);
    private readonly BoundedCache<(string CustomerId, long Version, string Format), StoredSnapshot> _snapshots = new(
        capacity,
        maxEvents,
        snapshot => snapshot.State.Version
    );
    private readonly BoundedCache<(Guid LastEventId, long Version), LoadedCustomer> _appendedHeads = new(
        capacity,
        maxEvents,
        head => head.Version
    );

    /// <summary>The events folded by the cached heads, in all.</summary>
    public long HeadEvents => _heads.Weight;

    /// <summary>A cache that keeps nothing: every load reads and folds from the database.</summary>
    public static CustomerStateCache None { get; } = new(0);

    public LoadedCustomer? Head(string customerId) => _heads.TryGet(customerId, out var head) ? head : null;

    /// <summary>Remembers a committed state as the customer's head, unless a newer one is already known.</summary>
    public void OfferHead(string customerId, LoadedCustomer loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        if (loaded.Version > 0)
            _heads.Put(customerId, loaded, keepExisting: existing => existing.Version > loaded.Version);
    }

    /// <summary>
    /// Keeps the state an inline projection folded for an append that has not committed yet, with the
    /// stage it evaluated, keyed by the append's last event and version: only the appender, once
    /// committed, takes it (<see cref="TakeAppendedHead"/>) as the customer's new head, so an append is
    /// folded once and the state's facts carry on from one append to the next. The state is a fact
    /// about those events, so one left behind by a rolled-back append is never wrong.
    /// </summary>
    public void RecordAppendedHead(Guid lastEventId, LoadedCustomer head)
    {
        ArgumentNullException.ThrowIfNull(head);
        _appendedHeads.Put((lastEventId, head.Version), head);
    }

    public LoadedCustomer? TakeAppendedHead(Guid lastEventId, long version)
    {
        if (!_appendedHeads.TryGet((lastEventId, version), out var head))
            return null;
        _appendedHeads.Remove((lastEventId, version));
        return head;
    }

    public StoredSnapshot? Snapshot(string customerId, long version, string format) =>
        _snapshots.TryGet((customerId, version, format), out var snapshot) ? snapshot : null;

    public void AddSnapshot(string customerId, long version, string format, StoredSnapshot snapshot) =>
        _snapshots.Put((customerId, version, format), snapshot);
}
