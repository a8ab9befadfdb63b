using Npgsql;
using NpgsqlTypes;

namespace RelationshipLedger.EventStore.Daemon;

/// <summary>A projection's row in <c>ledger.projection_checkpoints</c>, as its runner last read it.</summary>
internal sealed record Checkpoint(GlobalPosition Position, ProjectionState State);

/// <summary>
/// The checkpoints: where each projection is in the log and whether it runs. A runner moves its
/// checkpoint inside the transaction that applies the batch, and only from the position it read
/// (compare-and-set), so a batch is applied once even if two sessions ever believed they ran it.
/// </summary>
internal static class Checkpoints
{
    public const int MaxErrorLength = 4000;

    /// <summary>Creates the projection's checkpoint at the start of the log if it has none; its lock key.</summary>
    public static async Task<int> RegisterAsync(
        NpgsqlDataSource dataSource,
        string name,
        IReadOnlyCollection<string>? eventTypes,
        CancellationToken cancellationToken
    )
    {
        await using var command = dataSource.CreateCommand(
            "insert into ledger.projection_checkpoints as c (name, event_types) values ($1, $2) "
                + "on conflict (name) do update set event_types = excluded.event_types "
                + "where c.event_types is distinct from excluded.event_types returning lock_key"
        );
        command.Parameters.Add(new() { Value = name, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(
            new()
            {
                Value = (object?)eventTypes?.Order(StringComparer.Ordinal).ToArray() ?? DBNull.Value,
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
            }
        );
        if (await command.ExecuteScalarAsync(cancellationToken) is int inserted)
            return inserted;
        // Nothing changed, so nothing was returned: read the existing key.
        await using var existing = dataSource.CreateCommand(
            "select lock_key from ledger.projection_checkpoints where name = $1"
        );
        existing.Parameters.Add(new() { Value = name, NpgsqlDbType = NpgsqlDbType.Text });
        return (int)(await existing.ExecuteScalarAsync(cancellationToken))!;
    }

    public static async Task<Checkpoint> LoadAsync(
        NpgsqlConnection session,
        string name,
        CancellationToken cancellationToken
    )
    {
        await using var command = new NpgsqlCommand(
            "select position_tx, position_seq, state from ledger.projection_checkpoints where name = $1",
            session
        );
        command.Parameters.Add(new() { Value = name, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            throw new InvalidOperationException($"Projection '{name}' has no checkpoint.");
        return new Checkpoint(
            new GlobalPosition(reader.GetFieldValue<ulong>(0), reader.GetInt64(1)),
            ProjectionStates.Parse(reader.GetString(2))
        );
    }

    /// <summary>Records that <paramref name="node"/> has taken the projection's lock.</summary>
    public static async Task ClaimAsync(
        NpgsqlConnection session,
        string name,
        string node,
        CancellationToken cancellationToken
    )
    {
        await using var command = new NpgsqlCommand(
            "update ledger.projection_checkpoints set owner = $2, updated_at = now() where name = $1",
            session
        );
        command.Parameters.Add(new() { Value = name, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = node, NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Moves the checkpoint from <paramref name="from"/> to <paramref name="to"/> in
    /// <paramref name="transaction"/> and marks it running; false when it was not at
    /// <paramref name="from"/> or is paused. Run it first in the batch's transaction: it locks the row.
    /// </summary>
    public static async Task<bool> AdvanceAsync(
        NpgsqlConnection session,
        NpgsqlTransaction transaction,
        string name,
        GlobalPosition from,
        GlobalPosition to,
        int applied,
        CancellationToken cancellationToken
    )
    {
        await using var command = new NpgsqlCommand(
            "update ledger.projection_checkpoints set position_tx = $4, position_seq = $5, "
                + "events_applied = events_applied + $6, state = 'running', last_error = null, updated_at = now() "
                + "where name = $1 and position_tx = $2 and position_seq = $3 and state <> 'paused'",
            session,
            transaction
        );
        AddName(command, name);
        AddPosition(command, from);
        AddPosition(command, to);
        command.Parameters.Add(new() { Value = (long)applied, NpgsqlDbType = NpgsqlDbType.Bigint });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Shows that the projection is backing off after <paramref name="error"/>, unless it is paused.</summary>
    public static async Task MarkRetryingAsync(
        NpgsqlConnection session,
        string name,
        string error,
        CancellationToken cancellationToken
    )
    {
        await using var command = new NpgsqlCommand(
            "update ledger.projection_checkpoints set state = 'retrying', last_error = $2, updated_at = now() "
                + "where name = $1 and state <> 'paused'",
            session
        );
        AddName(command, name);
        command.Parameters.Add(new() { Value = Truncate(error), NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// In one statement: pauses the projection at <paramref name="at"/> (the position before
    /// <paramref name="poison"/>) with the error as its reason, and records the event as a dead letter.
    /// False when the checkpoint was not at <paramref name="at"/>.
    /// </summary>
    public static async Task<bool> PauseAsync(
        NpgsqlConnection session,
        string name,
        GlobalPosition at,
        RecordedEvent poison,
        string error,
        int attempts,
        CancellationToken cancellationToken
    )
    {
        error = Truncate(error);
        await using var command = new NpgsqlCommand(
            """
            with paused as (
                update ledger.projection_checkpoints set state = 'paused', last_error = $10, updated_at = now()
                where name = $1 and position_tx = $11 and position_seq = $12 and state <> 'paused'
                returning name
            )
            insert into ledger.projection_dead_letters
                (projection, position_tx, position_seq, event_id, stream_id, version, type, error, attempts)
            select name, $2, $3, $4, $5, $6, $7, $8, $9 from paused
            """,
            session
        );
        AddName(command, name);
        AddPosition(command, poison.Position);
        command.Parameters.Add(new() { Value = poison.EventId, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new() { Value = poison.StreamId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = poison.Version, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = poison.Type, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = error, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = attempts, NpgsqlDbType = NpgsqlDbType.Integer });
        var reason =
            $"Paused at a dead letter: {poison.Type} of '{poison.StreamId}' version {poison.Version} "
            + $"(position {poison.Position}) failed {attempts} times: {error}";
        command.Parameters.Add(new() { Value = Truncate(reason), NpgsqlDbType = NpgsqlDbType.Text });
        AddPosition(command, at);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public static string Truncate(string error) =>
        error.Length <= MaxErrorLength ? error : string.Concat(error.AsSpan(0, MaxErrorLength - 1), "…");

    private static void AddName(NpgsqlCommand command, string name) =>
        command.Parameters.Add(new() { Value = name, NpgsqlDbType = NpgsqlDbType.Text });

    private static void AddPosition(NpgsqlCommand command, GlobalPosition position)
    {
        command.Parameters.Add(new() { Value = position.TransactionId, NpgsqlDbType = NpgsqlDbType.Xid8 });
        command.Parameters.Add(new() { Value = position.SequenceId, NpgsqlDbType = NpgsqlDbType.Bigint });
    }
}
