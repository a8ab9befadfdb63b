namespace RelationshipLedger.EventStore.Projections;

/// <summary>
/// A read model kept by the projection daemon, behind the log: it receives the committed events of
/// <see cref="EventTypes"/> in global order, in batches, each batch inside a transaction that also
/// moves its checkpoint, so every event is applied exactly once. It must be a deterministic fold of
/// those events (no clock, no reads outside its own tables and the batch), so that a rebuild from
/// the start of the log produces exactly the rows the live tables have.
/// </summary>
/// <remarks>
/// The projection owns <see cref="Tables"/> and writes them only through
/// <see cref="AsyncProjectionContext.Table"/>: the daemon maps each name to the live table, a
/// rebuild maps it to a shadow copy. The live tables themselves are created by a schema migration.
/// </remarks>
public interface IAsyncProjection
{
    /// <summary>
    /// The stable name of the checkpoint, the lock and the admin routes: 1–63 characters of
    /// <c>[a-z0-9_]</c> (<see cref="ProjectionNames.IsValid"/>). Renaming it starts a new projection from the beginning.
    /// </summary>
    string Name { get; }

    /// <summary>The stored type names it wants (include names that upcast to them), or null for every event.</summary>
    IReadOnlyCollection<string>? EventTypes { get; }

    /// <summary>
    /// The tables it owns, by unqualified name in schema <c>ledger</c> (<c>[a-z0-9_]</c>, at most 50
    /// characters so a rebuild can add a suffix).
    /// </summary>
    IReadOnlyList<string> Tables { get; }

    /// <summary>
    /// Indexes of <see cref="Tables"/>, by their live names, that <see cref="ApplyAsync"/> (and a replay's
    /// writes) never need: a rebuild's bulk replay fills the shadow tables without them and builds them
    /// once the bulk is done, which costs a fraction of keeping them row by row. Indexes that back a
    /// constraint cannot be named (they refuse a row applied twice). None by default.
    /// </summary>
    IReadOnlyCollection<string> IndexesBuiltAfterBulk => [];

    /// <summary>
    /// The stored event types whose protected (personal) fields <see cref="ApplyAsync"/> reads
    /// (docs/erasure.md); null, the default, for every type. A rebuild's bulk replay reveals only these:
    /// every other event reaches it as stored, its protected fields as ciphertext envelopes, strings it
    /// never looks at; with none, the bulk does not even read the streams' keys. A projection that leaves
    /// out a type whose protected field it stores would store ciphertext; a protected field that is not a
    /// string would not even deserialize.
    /// </summary>
    IReadOnlyCollection<string>? ReadsProtectedFieldsOf => null;

    /// <summary>
    /// This projection's own <see cref="Daemon.ProjectionDaemonOptions.MinimumBatchInterval"/>, for one
    /// whose work grows with the streams a batch touches rather than with its events: a longer interval
    /// lets more of each stream's events share one batch, at the price of that much more lag. Null, the
    /// default, takes the daemon's.
    /// </summary>
    TimeSpan? MinimumBatchInterval => null;

    /// <summary>
    /// Applies <paramref name="events"/> (at least one, in global order, all of <see cref="EventTypes"/>)
    /// with <paramref name="context"/>'s connection and transaction. Throwing rolls the whole batch back;
    /// the daemon retries, then isolates the event that keeps failing and dead-letters it.
    /// </summary>
    Task ApplyAsync(
        IReadOnlyList<RecordedEvent> events,
        AsyncProjectionContext context,
        CancellationToken cancellationToken
    );
}
