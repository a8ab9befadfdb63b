using Npgsql;

namespace RelationshipLedger.EventStore.Projections;

/// <summary>
/// A read model updated inside the append's transaction: it commits with the events or rolls back
/// with them, so readers of it always see their own writes. Throwing refuses the append.
/// </summary>
public interface IInlineProjection
{
    Task ApplyAsync(InlineProjectionContext context, CancellationToken cancellationToken);
}

/// <summary>The appended events and the open transaction they were written in.</summary>
public sealed record InlineProjectionContext(
    NpgsqlConnection Connection,
    NpgsqlTransaction Transaction,
    string StreamId,
    string StreamType,
    long StreamVersion,
    IReadOnlyList<EventEnvelope> Events
)
{
    /// <summary>A command bound to the append's connection and transaction.</summary>
    public NpgsqlCommand CreateCommand(string sql) => new(sql, Connection, Transaction);
}
