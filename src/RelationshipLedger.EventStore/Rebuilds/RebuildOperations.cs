using Npgsql;
using NpgsqlTypes;

namespace RelationshipLedger.EventStore.Rebuilds;

/// <summary>What operators ask about rebuilds, from any node: one by id, or a projection's latest.</summary>
public sealed class RebuildOperations(NpgsqlDataSource dataSource)
{
    private const string StatusSql = $"""
        select r.id, r.projection, r.state, r.position_tx, r.position_seq, r.events_done, r.events_total,
               r.run_started_done, extract(epoch from r.updated_at - r.run_started_at)::float8,
               r.content_hash, r.content_rows, r.content_position, r.live_hash, r.live_rows, r.live_position,
               r.matches_live, r.error, r.node, r.started_at, r.updated_at, r.finished_at,
               {RebuildLocks.HeldSql} as held
        from ledger.projection_rebuilds r
        join ledger.projection_checkpoints c on c.name = r.projection
        """;

    public async Task<RebuildStatus?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(StatusSql + " where r.id = $1");
        command.Parameters.Add(new() { Value = id, NpgsqlDbType = NpgsqlDbType.Bigint });
        return await ReadOneAsync(command, cancellationToken);
    }

    /// <summary>The projection's most recent rebuild, or null when it was never rebuilt.</summary>
    public async Task<RebuildStatus?> LatestAsync(string projection, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            StatusSql + " where r.projection = $1 order by r.id desc limit 1"
        );
        command.Parameters.Add(new() { Value = projection, NpgsqlDbType = NpgsqlDbType.Text });
        return await ReadOneAsync(command, cancellationToken);
    }

    private static async Task<RebuildStatus?> ReadOneAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        var state = reader.GetString(2) switch
        {
            "completed" => RebuildState.Completed,
            "failed" => RebuildState.Failed,
            _ => reader.GetBoolean(21) ? RebuildState.Running : RebuildState.Interrupted,
        };
        var done = reader.GetInt64(5);
        var total = Math.Max(done, reader.GetInt64(6));
        var seconds = reader.GetDouble(8);
        var rate = seconds > 0 ? Math.Round((done - reader.GetInt64(7)) / seconds, 1) : 0;
        TimeSpan? left =
            state == RebuildState.Running && rate > 0 ? TimeSpan.FromSeconds(Math.Round((total - done) / rate)) : null;
        return new RebuildStatus(
            reader.GetInt64(0),
            reader.GetString(1),
            state,
            new GlobalPosition(reader.GetFieldValue<ulong>(3), reader.GetInt64(4)),
            done,
            total,
            rate,
            left,
            reader.IsDBNull(9) ? null : ReadHashes(reader),
            reader.IsDBNull(16) ? null : reader.GetString(16),
            reader.IsDBNull(17) ? null : reader.GetString(17),
            AsUtc(reader.GetDateTime(18)),
            AsUtc(reader.GetDateTime(19)),
            reader.IsDBNull(20) ? null : AsUtc(reader.GetDateTime(20))
        );
    }

    private static RebuildHashes ReadHashes(NpgsqlDataReader reader) =>
        new(
            new ContentHash(reader.GetString(9), reader.GetInt64(10), Position(reader.GetString(11))),
            new ContentHash(reader.GetString(12), reader.GetInt64(13), Position(reader.GetString(14))),
            reader.IsDBNull(15) ? null : reader.GetBoolean(15)
        );

    private static GlobalPosition Position(string text) =>
        GlobalPosition.TryParse(text, out var position) ? position : GlobalPosition.Start;

    private static DateTimeOffset AsUtc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
