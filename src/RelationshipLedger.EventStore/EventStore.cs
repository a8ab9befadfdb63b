using Npgsql;
using RelationshipLedger.EventStore.Serialization;

namespace RelationshipLedger.EventStore;

/// <summary>
/// Streams of events in PostgreSQL (schema <c>ledger</c>): appends with optimistic concurrency,
/// stream reads and folds that time-travel, and the gap-free global log. Thread-safe; one per
/// database. Apply <see cref="SchemaMigrator"/> before use.
/// </summary>
public sealed partial class EventStore(NpgsqlDataSource dataSource, EventStoreOptions options)
{
    /// <summary>Stream ids are 1–200 characters; what characters they may use is the application's rule.</summary>
    public const int MaxStreamIdLength = 200;

    public NpgsqlDataSource DataSource { get; } = dataSource;

    public EventSerializer Serializer => options.Serializer;

    private static void ValidateStreamId(string streamId)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        if (streamId.Length > MaxStreamIdLength)
            throw new ArgumentException($"A stream id has at most {MaxStreamIdLength} characters.", nameof(streamId));
    }

    private static DateTimeOffset AsUtc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
