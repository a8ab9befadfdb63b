using Npgsql;
using NpgsqlTypes;

namespace RelationshipLedger.EventStore.Daemon;

/// <summary>
/// What operators ask of the daemon, from any node: each projection's position, lag, state, last
/// error and holder; its dead letters; and resuming a paused projection.
/// </summary>
public sealed class ProjectionOperations(NpgsqlDataSource dataSource)
{
    /// <summary>Resuming a projection NOTIFYs this channel, so its runner wakes at once.</summary>
    public const string ControlChannel = "ledger_projections";

    private const string DeadLetterColumns =
        "d.id, d.projection, d.position_tx, d.position_seq, d.event_id, d.stream_id, d.version, d.type, "
        + "d.error, d.attempts, d.recorded_at, d.resolved_at, d.resolution";

    // Lag counts committed events after the checkpoint, held back or not: all of them are still to do.
    private const string StatusSql = $"""
        select c.name, c.state, c.position_tx, c.position_seq, c.last_error, c.events_applied, c.updated_at,
               pending.events, extract(epoch from now() - first_pending.first_recorded_at)::float8,
               holder.application_name,
               {DeadLetterColumns}
        from ledger.projection_checkpoints c
        cross join lateral (
            select count(*) as events from ledger.events e
            where (e.tx_id, e.seq_id) > (c.position_tx, c.position_seq)
              and (c.event_types is null or e.type = any (c.event_types))
        ) pending
        left join lateral (
            select e.recorded_at as first_recorded_at from ledger.events e
            where (e.tx_id, e.seq_id) > (c.position_tx, c.position_seq)
              and (c.event_types is null or e.type = any (c.event_types))
            order by e.tx_id, e.seq_id limit 1
        ) first_pending on true
        left join lateral (
            select a.application_name from pg_locks l join pg_stat_activity a on a.pid = l.pid
            where l.locktype = 'advisory' and l.granted and l.objsubid = 2
              and l.database = (select oid from pg_database where datname = current_database())
              and l.classid = $1::oid and l.objid = c.lock_key::oid
            limit 1
        ) holder on true
        left join lateral (
            select * from ledger.projection_dead_letters d
            where d.projection = c.name and d.resolved_at is null and c.state = 'paused'
            order by d.id desc limit 1
        ) d on true
        where $2::text is null or c.name = $2
        order by c.name
        """;

    /// <summary>Every projection that has a checkpoint, by name.</summary>
    public Task<IReadOnlyList<ProjectionStatus>> ListAsync(CancellationToken cancellationToken = default) =>
        StatusesAsync(null, cancellationToken);

    /// <summary>One projection, or null when it has no checkpoint.</summary>
    public async Task<ProjectionStatus?> GetAsync(string name, CancellationToken cancellationToken = default) =>
        (await StatusesAsync(name, cancellationToken)).SingleOrDefault();

    /// <summary>The projection's dead letters, newest first.</summary>
    public async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(
        string name,
        int limit = 100,
        CancellationToken cancellationToken = default
    )
    {
        await using var command = dataSource.CreateCommand(
            $"select {DeadLetterColumns} from ledger.projection_dead_letters d where d.projection = $1 order by d.id desc limit $2"
        );
        command.Parameters.Add(new() { Value = name, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = limit, NpgsqlDbType = NpgsqlDbType.Integer });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var letters = new List<DeadLetter>();
        while (await reader.ReadAsync(cancellationToken))
            letters.Add(ReadDeadLetter(reader, 0)!);
        return letters;
    }

    /// <summary>
    /// Lets a paused projection run again. It retries the event it was paused at, or, with
    /// <paramref name="skip"/>, moves its checkpoint past that event (which stays recorded as a dead
    /// letter, resolved as skipped).
    /// </summary>
    public async Task<ResumeOutcome> ResumeAsync(string name, bool skip, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (
            var state = new NpgsqlCommand(
                "select state from ledger.projection_checkpoints where name = $1 for update",
                connection,
                transaction
            )
        )
        {
            state.Parameters.Add(new() { Value = name, NpgsqlDbType = NpgsqlDbType.Text });
            switch (await state.ExecuteScalarAsync(cancellationToken))
            {
                case null:
                    return ResumeOutcome.UnknownProjection;
                case string s when s != ProjectionStates.Paused:
                    return ResumeOutcome.NotPaused;
            }
        }
        await using var batch = new NpgsqlBatch(connection, transaction);
        if (skip)
            batch.BatchCommands.Add(
                Command(
                    """
                    update ledger.projection_checkpoints c set position_tx = l.position_tx, position_seq = l.position_seq
                    from (
                        select position_tx, position_seq from ledger.projection_dead_letters
                        where projection = $1 and resolved_at is null order by id desc limit 1
                    ) l
                    where c.name = $1 and (l.position_tx, l.position_seq) > (c.position_tx, c.position_seq)
                    """,
                    name
                )
            );
        batch.BatchCommands.Add(
            Command(
                "update ledger.projection_checkpoints set state = 'running', last_error = null, updated_at = now() where name = $1",
                name
            )
        );
        var resolve = Command(
            "update ledger.projection_dead_letters set resolved_at = now(), resolution = $2 "
                + "where projection = $1 and resolved_at is null",
            name
        );
        resolve.Parameters.Add(new() { Value = skip ? "skipped" : "retried", NpgsqlDbType = NpgsqlDbType.Text });
        batch.BatchCommands.Add(resolve);
        var notify = Command("select pg_notify($2, $1)", name);
        notify.Parameters.Add(new() { Value = ControlChannel, NpgsqlDbType = NpgsqlDbType.Text });
        batch.BatchCommands.Add(notify);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ResumeOutcome.Resumed;
    }

    private async Task<IReadOnlyList<ProjectionStatus>> StatusesAsync(string? name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(StatusSql);
        command.Parameters.Add(new() { Value = ProjectionLocks.DaemonKey, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new() { Value = (object?)name ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var statuses = new List<ProjectionStatus>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var lagEvents = reader.GetInt64(7);
            statuses.Add(
                new ProjectionStatus(
                    reader.GetString(0),
                    ProjectionStates.Parse(reader.GetString(1)),
                    new GlobalPosition(reader.GetFieldValue<ulong>(2), reader.GetInt64(3)),
                    lagEvents,
                    lagEvents == 0 || reader.IsDBNull(8) ? 0 : Math.Max(0, Math.Round(reader.GetDouble(8), 3)),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.IsDBNull(9) ? null : ProjectionLocks.NodeOf(reader.GetString(9)),
                    reader.GetInt64(5),
                    AsUtc(reader.GetDateTime(6)),
                    ReadDeadLetter(reader, 10)
                )
            );
        }
        return statuses;
    }

    private static NpgsqlBatchCommand Command(string sql, string name)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new() { Value = name, NpgsqlDbType = NpgsqlDbType.Text });
        return command;
    }

    private static DeadLetter? ReadDeadLetter(NpgsqlDataReader reader, int first) =>
        reader.IsDBNull(first)
            ? null
            : new DeadLetter(
                reader.GetInt64(first),
                reader.GetString(first + 1),
                new GlobalPosition(reader.GetFieldValue<ulong>(first + 2), reader.GetInt64(first + 3)),
                reader.GetGuid(first + 4),
                reader.GetString(first + 5),
                reader.GetInt64(first + 6),
                reader.GetString(first + 7),
                reader.GetString(first + 8),
                reader.GetInt32(first + 9),
                AsUtc(reader.GetDateTime(first + 10)),
                reader.IsDBNull(first + 11) ? null : AsUtc(reader.GetDateTime(first + 11)),
                reader.IsDBNull(first + 12) ? null : reader.GetString(first + 12)
            );

    private static DateTimeOffset AsUtc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
