using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Application.SatisfactionHistory;

/// <summary>
/// A customer's satisfaction history: the figures from the folded state, as always, and the points
/// from the read model when the question is about now and the projection has caught up with the
/// state those figures come from; from the fold otherwise. Either way the answer is the same.
/// </summary>
public sealed class SatisfactionHistoryQueries(NpgsqlDataSource dataSource, CustomerQueries customers)
{
    // Caught up: the checkpoint is at or past the event that made the customer's state this version.
    private const string CaughtUpSql = """
        select exists (
            select 1 from ledger.events e
            join ledger.projection_checkpoints c on c.name = $3
            where e.stream_id = $1 and e.version = $2
              and (e.tx_id, e.seq_id) <= (c.position_tx, c.position_seq)
        )
        """;

    private const string PointsSql =
        "select at, source, rating, recommend, complaint_id, version from ledger.satisfaction_points "
        + "where customer_id = $1 and version <= $2 and at <= $3 order by at, version";

    public async Task<CustomerSatisfaction?> GetAsync(
        string customerId,
        TimeTravel travel,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(travel);
        var satisfaction = await customers.GetSatisfactionAsync(customerId, travel, cancellationToken);
        if (satisfaction is null || !travel.IsNow)
            return satisfaction;
        var points = await PointsIfCaughtUpAsync(
            customerId,
            satisfaction.Version,
            satisfaction.AsOf,
            cancellationToken
        );
        return points is null ? satisfaction : satisfaction with { Points = points };
    }

    /// <summary>
    /// The read model's points of the customer up to <paramref name="version"/> that occurred by
    /// <paramref name="asOf"/>, in (at, version) order; null when the projection has not yet applied
    /// the customer's events up to that version.
    /// </summary>
    public async Task<IReadOnlyList<SatisfactionPoint>?> PointsIfCaughtUpAsync(
        string customerId,
        long version,
        DateTimeOffset asOf,
        CancellationToken cancellationToken = default
    )
    {
        await using var batch = dataSource.CreateBatch();
        var caughtUp = new NpgsqlBatchCommand(CaughtUpSql);
        caughtUp.Parameters.Add(new() { Value = customerId, NpgsqlDbType = NpgsqlDbType.Text });
        caughtUp.Parameters.Add(new() { Value = version, NpgsqlDbType = NpgsqlDbType.Bigint });
        caughtUp.Parameters.Add(
            new() { Value = SatisfactionHistoryProjection.ProjectionName, NpgsqlDbType = NpgsqlDbType.Text }
        );
        var points = new NpgsqlBatchCommand(PointsSql);
        points.Parameters.Add(new() { Value = customerId, NpgsqlDbType = NpgsqlDbType.Text });
        points.Parameters.Add(new() { Value = version, NpgsqlDbType = NpgsqlDbType.Bigint });
        points.Parameters.Add(new() { Value = asOf.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        batch.BatchCommands.Add(caughtUp);
        batch.BatchCommands.Add(points);

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (!reader.GetBoolean(0))
            return null;
        await reader.NextResultAsync(cancellationToken);
        var history = new List<SatisfactionPoint>();
        while (await reader.ReadAsync(cancellationToken))
            history.Add(
                new SatisfactionPoint(
                    new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(0), DateTimeKind.Utc)),
                    Enum.Parse<SatisfactionSource>(reader.GetString(1)),
                    reader.IsDBNull(2) ? null : reader.GetInt32(2),
                    reader.IsDBNull(3) ? null : reader.GetInt32(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.GetInt64(5)
                )
            );
        return history;
    }
}
