using Npgsql;

namespace RelationshipLedger.EventStore.Projections;

/// <summary>
/// Where an <see cref="IAsyncProjection"/> writes a batch: an open transaction (which also moves
/// the projection's checkpoint when the daemon runs it) and the physical names of its tables.
/// </summary>
public sealed class AsyncProjectionContext
{
    private readonly IReadOnlyDictionary<string, string> _tables;

    /// <param name="connection">The connection <paramref name="transaction"/> is open on.</param>
    /// <param name="transaction">The transaction the batch commits or rolls back with.</param>
    /// <param name="tables">
    /// Each of the projection's table names mapped to the SQL name to write instead, already
    /// qualified and quoted (<see cref="ProjectionTables.Live"/>, or a rebuild's shadow copies).
    /// </param>
    public AsyncProjectionContext(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        IReadOnlyDictionary<string, string> tables
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(tables);
        Connection = connection;
        Transaction = transaction;
        _tables = tables;
    }

    public NpgsqlConnection Connection { get; }

    public NpgsqlTransaction Transaction { get; }

    /// <summary>
    /// The SQL name to use for the projection's table <paramref name="name"/>, e.g.
    /// <c>"ledger"."satisfaction_points"</c> live or a shadow copy during a rebuild.
    /// </summary>
    /// <exception cref="ArgumentException">The projection did not declare <paramref name="name"/> in its Tables.</exception>
    public string Table(string name) =>
        _tables.TryGetValue(name, out var sqlName)
            ? sqlName
            : throw new ArgumentException(
                $"'{name}' is not one of the projection's declared tables ({string.Join(", ", _tables.Keys)}).",
                nameof(name)
            );

    /// <summary>A command on the batch's connection and transaction.</summary>
    public NpgsqlCommand CreateCommand(string sql) => new(sql, Connection, Transaction);

    /// <summary>A batch of statements on the batch's connection and transaction: one round trip.</summary>
    public NpgsqlBatch CreateBatch() => new(Connection, Transaction);
}
