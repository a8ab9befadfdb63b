using System.Data;
using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Application.Abc;

/// <summary>
/// The <c>abc_revenue</c> read model held in memory, so that the portfolio is classified as of any instant in
/// milliseconds instead of the seconds <c>ledger.abc_classes_at</c> takes for a large portfolio (docs/abc.md,
/// "Classified in memory"). Before each classification it reads, in one snapshot, the rows written since it
/// last looked — the daemon writes them in log order, so a row it has not seen is always past the positions
/// it has seen — and starts over when a rebuild has swapped the tables. Loaded on the first question: a
/// process that is never asked holds nothing. One per process and database; classifications are serialized,
/// and the last few are kept for the pages that follow.
/// </summary>
public sealed class AbcRevenueMirror(NpgsqlDataSource dataSource) : IDisposable
{
    /// <summary>How many recent classifications are kept (a portfolio is read a page at a time).</summary>
    public const int KeptClassifications = 8;

    private const string TablesSql =
        "select 'ledger.abc_customers'::regclass::oid::bigint, 'ledger.abc_revenue'::regclass::oid::bigint";

    /// <summary>How many new rows one read takes, at most (reads repeat until fewer come).</summary>
    public int NewRowsPerRead { get; init; } = 50_000;

    private const string CustomerColumns =
        "select customer_id, registered_at, recorded_at, position_tx, position_seq from ledger.abc_customers ";

    private const string RevenueColumns =
        "select customer_id, occurred_at, recorded_at, amount, currency, position_tx, position_seq "
        + "from ledger.abc_revenue ";

    // The first load reads whole tables (the customers in id order, which the facts keep them in); later
    // reads take what is past the last position in log order, which the planner can only answer from the
    // position index, whatever its statistics say (a table just swapped in by a rebuild may have none).
    private const string NewRowsCondition =
        "where (position_tx, position_seq) > ($1, $2) order by position_tx, position_seq limit $3";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly LinkedList<(long Generation, AbcClassification Classification)> _recent = new();
    private AbcFactsInMemory _facts = new();
    private (long Customers, long Revenue)? _tables;
    private GlobalPosition _customersRead = GlobalPosition.Start;
    private GlobalPosition _revenueRead = GlobalPosition.Start;
    private long _generation;

    /// <summary>How many revenue facts are held (0 until the first classification).</summary>
    public long FactCount => Volatile.Read(ref _facts).FactCount;

    /// <summary>The whole portfolio classified as of <paramref name="asOf"/>, as known at <paramref name="knownAt"/> (null: now).</summary>
    public async Task<AbcClassification> ClassifyAsync(
        DateTimeOffset asOf,
        DateTimeOffset? knownAt,
        CancellationToken cancellationToken = default
    )
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await RefreshAsync(cancellationToken);
            foreach (var (generation, kept) in _recent)
                if (generation == _generation && kept.AsOf == asOf && kept.KnownAt == knownAt)
                    return kept;
            var classification = AbcRanker.Rank(_facts, asOf, knownAt);
            _recent.AddFirst((_generation, classification));
            if (_recent.Count > KeptClassifications)
                _recent.RemoveLast();
            return classification;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>Reads the rows written since the last look; a failure part-way drops everything held, to be read again.</summary>
    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(
                IsolationLevel.RepeatableRead,
                cancellationToken
            );
            var tables = await TablesAsync(connection, cancellationToken);
            if (tables != _tables)
            {
                Forget();
                _tables = tables;
            }
            var read =
                await ReadCustomersAsync(connection, cancellationToken)
                + await ReadRevenueAsync(connection, cancellationToken);
            if (read > 0)
            {
                _facts.CompactIfWorthIt();
                _generation++;
                _recent.Clear();
            }
            await transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            Forget();
            throw;
        }
    }

    private void Forget()
    {
        Volatile.Write(ref _facts, new AbcFactsInMemory());
        _tables = null;
        _customersRead = GlobalPosition.Start;
        _revenueRead = GlobalPosition.Start;
        _generation++;
        _recent.Clear();
    }

    private static async Task<(long, long)> TablesAsync(
        NpgsqlConnection connection,
        CancellationToken cancellationToken
    )
    {
        await using var command = new NpgsqlCommand(TablesSql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private async Task<int> ReadCustomersAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var sql =
            CustomerColumns + (_customersRead == GlobalPosition.Start ? "order by customer_id" : NewRowsCondition);
        return await ReadAsync(
            connection,
            sql,
            () => _customersRead,
            reader =>
            {
                _facts.Register(reader.GetString(0), reader.GetDateTime(1), reader.GetDateTime(2));
                _customersRead = Max(_customersRead, reader, 3);
            },
            cancellationToken
        );
    }

    private async Task<int> ReadRevenueAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var sql = RevenueColumns + (_revenueRead == GlobalPosition.Start ? "" : NewRowsCondition);
        return await ReadAsync(
            connection,
            sql,
            () => _revenueRead,
            reader =>
            {
                _facts.AddRevenue(
                    reader.GetString(0),
                    reader.GetDateTime(1),
                    reader.GetDateTime(2),
                    reader.GetDecimal(3),
                    reader.GetString(4)
                );
                _revenueRead = Max(_revenueRead, reader, 5);
            },
            cancellationToken
        );
    }

    /// <summary>
    /// Reads with <paramref name="sql"/> row by row into <paramref name="take"/>; when it reads new rows (the
    /// position <paramref name="readTo"/> gives is past the start), again while a read came back full. How
    /// many rows it read.
    /// </summary>
    private async Task<int> ReadAsync(
        NpgsqlConnection connection,
        string sql,
        Func<GlobalPosition> readTo,
        Action<NpgsqlDataReader> take,
        CancellationToken cancellationToken
    )
    {
        var newRows = readTo() != GlobalPosition.Start;
        var total = 0;
        int read;
        do
        {
            await using var command = new NpgsqlCommand(sql, connection);
            if (newRows)
            {
                var position = readTo();
                command.Parameters.Add(new() { Value = position.TransactionId, NpgsqlDbType = NpgsqlDbType.Xid8 });
                command.Parameters.Add(new() { Value = position.SequenceId, NpgsqlDbType = NpgsqlDbType.Bigint });
                command.Parameters.Add(new() { Value = NewRowsPerRead, NpgsqlDbType = NpgsqlDbType.Integer });
            }
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            read = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                take(reader);
                read++;
            }
            total += read;
        } while (newRows && read == NewRowsPerRead);
        return total;
    }

    private static GlobalPosition Max(GlobalPosition held, NpgsqlDataReader reader, int column)
    {
        var position = new GlobalPosition(reader.GetFieldValue<ulong>(column), reader.GetInt64(column + 1));
        return position > held ? position : held;
    }
}
