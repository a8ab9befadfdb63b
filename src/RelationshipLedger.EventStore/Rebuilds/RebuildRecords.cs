using Npgsql;
using NpgsqlTypes;

namespace RelationshipLedger.EventStore.Rebuilds;

/// <summary>An unfinished rebuild's row as its runner reads it when it takes it over.</summary>
internal sealed record RebuildRow(long Id, GlobalPosition Position, long EventsDone);

/// <summary>
/// The rows of <c>ledger.projection_rebuilds</c>. The runner moves a rebuild's checkpoint inside the
/// transaction that fills the shadow (compare-and-set, like the daemon's), so the shadow's rows and
/// the checkpoint commit together or not at all.
/// </summary>
internal static class RebuildRecords
{
    public static async Task<RebuildRow?> FindUnfinishedAsync(
        NpgsqlConnection session,
        string projection,
        CancellationToken cancellationToken
    )
    {
        await using var command = new NpgsqlCommand(
            "select id, position_tx, position_seq, events_done from ledger.projection_rebuilds "
                + "where projection = $1 and state = 'running'",
            session
        );
        AddText(command, projection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new RebuildRow(
                reader.GetInt64(0),
                new GlobalPosition(reader.GetFieldValue<ulong>(1), reader.GetInt64(2)),
                reader.GetInt64(3)
            )
            : null;
    }

    public static async Task<RebuildRow> InsertAsync(
        NpgsqlConnection session,
        string projection,
        CancellationToken cancellationToken
    )
    {
        await using var command = new NpgsqlCommand(
            "insert into ledger.projection_rebuilds (projection) values ($1) returning id",
            session
        );
        AddText(command, projection);
        return new RebuildRow((long)(await command.ExecuteScalarAsync(cancellationToken))!, GlobalPosition.Start, 0);
    }

    /// <summary>Starts a run of the rebuild on this node: the rate counts from here; from the start of the log when <paramref name="fromScratch"/>.</summary>
    public static async Task BeginRunAsync(
        NpgsqlConnection session,
        long id,
        string node,
        bool fromScratch,
        CancellationToken cancellationToken
    )
    {
        await using var command = new NpgsqlCommand(
            "update ledger.projection_rebuilds set node = $2, error = null, run_started_at = now(), updated_at = now(), "
                + "position_tx = case when $3 then '0'::xid8 else position_tx end, "
                + "position_seq = case when $3 then 0 else position_seq end, "
                + "events_done = case when $3 then 0 else events_done end, "
                + "run_started_done = case when $3 then 0 else events_done end "
                + "where id = $1",
            session
        );
        AddId(command, id);
        AddText(command, node);
        command.Parameters.Add(new() { Value = fromScratch, NpgsqlDbType = NpgsqlDbType.Boolean });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Moves the rebuild's checkpoint from <paramref name="from"/> to <paramref name="to"/> in the
    /// batch's transaction; false when it was not at <paramref name="from"/> or is finished.
    /// </summary>
    public static async Task<bool> AdvanceAsync(
        NpgsqlConnection session,
        NpgsqlTransaction transaction,
        long id,
        GlobalPosition from,
        GlobalPosition to,
        int applied,
        long total,
        CancellationToken cancellationToken
    )
    {
        await using var command = new NpgsqlCommand(
            "update ledger.projection_rebuilds set position_tx = $4, position_seq = $5, events_done = events_done + $6, "
                + "events_total = greatest($7, events_done + $6), updated_at = now() "
                + "where id = $1 and position_tx = $2 and position_seq = $3 and state = 'running'",
            session,
            transaction
        );
        AddId(command, id);
        AddPosition(command, from);
        AddPosition(command, to);
        command.Parameters.Add(new() { Value = (long)applied, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = total, NpgsqlDbType = NpgsqlDbType.Bigint });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public static async Task RecordHashesAsync(
        NpgsqlConnection session,
        long id,
        RebuildHashes hashes,
        CancellationToken cancellationToken
    )
    {
        await using var command = new NpgsqlCommand(
            "update ledger.projection_rebuilds set content_hash = $2, content_rows = $3, content_position = $4, "
                + "live_hash = $5, live_rows = $6, live_position = $7, matches_live = $8, updated_at = now() where id = $1",
            session
        );
        AddId(command, id);
        AddText(command, hashes.Shadow.Hash);
        command.Parameters.Add(new() { Value = hashes.Shadow.Rows, NpgsqlDbType = NpgsqlDbType.Bigint });
        AddText(command, hashes.Shadow.Position.ToString());
        AddText(command, hashes.Live.Hash);
        command.Parameters.Add(new() { Value = hashes.Live.Rows, NpgsqlDbType = NpgsqlDbType.Bigint });
        AddText(command, hashes.Live.Position.ToString());
        command.Parameters.Add(
            new() { Value = (object?)hashes.MatchesLive ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Boolean }
        );
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Marks the rebuild swapped in at <paramref name="position"/>, in the swap's transaction.</summary>
    public static NpgsqlBatchCommand Complete(long id, GlobalPosition position, long eventsDone)
    {
        var command = new NpgsqlBatchCommand(
            "update ledger.projection_rebuilds set state = 'completed', position_tx = $2, position_seq = $3, "
                + "events_done = $4, events_total = $4, updated_at = now(), finished_at = now() where id = $1"
        );
        command.Parameters.Add(new() { Value = id, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = position.TransactionId, NpgsqlDbType = NpgsqlDbType.Xid8 });
        command.Parameters.Add(new() { Value = position.SequenceId, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = eventsDone, NpgsqlDbType = NpgsqlDbType.Bigint });
        return command;
    }

    /// <summary>Records why the rebuild stopped; <paramref name="failed"/> ends it, otherwise it stays resumable.</summary>
    public static async Task RecordErrorAsync(
        NpgsqlDataSource dataSource,
        long id,
        string error,
        bool failed,
        CancellationToken cancellationToken
    )
    {
        await using var command = dataSource.CreateCommand(
            "update ledger.projection_rebuilds set error = $2, updated_at = now(), "
                + "state = case when $3 then 'failed' else state end, "
                + "finished_at = case when $3 then now() else finished_at end "
                + "where id = $1 and state = 'running'"
        );
        AddId(command, id);
        AddText(command, Daemon.Checkpoints.Truncate(error));
        command.Parameters.Add(new() { Value = failed, NpgsqlDbType = NpgsqlDbType.Boolean });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddId(NpgsqlCommand command, long id) =>
        command.Parameters.Add(new() { Value = id, NpgsqlDbType = NpgsqlDbType.Bigint });

    private static void AddText(NpgsqlCommand command, string value) =>
        command.Parameters.Add(new() { Value = value, NpgsqlDbType = NpgsqlDbType.Text });

    private static void AddPosition(NpgsqlCommand command, GlobalPosition position)
    {
        command.Parameters.Add(new() { Value = position.TransactionId, NpgsqlDbType = NpgsqlDbType.Xid8 });
        command.Parameters.Add(new() { Value = position.SequenceId, NpgsqlDbType = NpgsqlDbType.Bigint });
    }
}
