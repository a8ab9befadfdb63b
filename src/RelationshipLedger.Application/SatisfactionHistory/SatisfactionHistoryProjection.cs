using NpgsqlTypes;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Projections;
using RelationshipLedger.EventStore.Serialization;
using static RelationshipLedger.Domain.Customers.CustomerEvent;

namespace RelationshipLedger.Application.SatisfactionHistory;

/// <summary>
/// Satisfaction history, kept by the projection daemon: a point per survey, complaint and resolution
/// (domain.md §2.4), in <c>ledger.satisfaction_points</c>. The domain accepts a complaint id once and
/// a resolution only for an open complaint, so these points are exactly those of
/// <see cref="SatisfactionRules.HistoryUpTo"/> over the folded stream.
/// </summary>
public sealed class SatisfactionHistoryProjection(EventSerializer serializer) : IReplayableProjection
{
    public const string ProjectionName = "satisfaction_history";
    public const string PointsTable = "satisfaction_points";

    public string Name => ProjectionName;

    public IReadOnlyCollection<string>? EventTypes { get; } =
    [
        CustomerEvent.TypeNames[typeof(SatisfactionSurveyed)],
        CustomerEvent.TypeNames[typeof(ComplaintFiled)],
        CustomerEvent.TypeNames[typeof(ComplaintResolved)],
    ];

    public IReadOnlyList<string> Tables { get; } = [PointsTable];

    /// <summary>Ratings and complaint ids, never a comment, description or resolution text.</summary>
    public IReadOnlyCollection<string> ReadsProtectedFieldsOf { get; } = [];

    /// <summary>A rebuild's bulk decodes each batch on its reading side, while the one before is written.</summary>
    public IReadOnlyCollection<string>? ReplayEventTypes => EventTypes;

    public IProjectionReplay StartReplay() => new StatelessReplay(RowsOf);

    public Task ApplyAsync(
        IReadOnlyList<RecordedEvent> events,
        AsyncProjectionContext context,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(context);
        return RowsOf(events).ApplyAsync(context, cancellationToken);
    }

    private PointRows RowsOf(IReadOnlyList<RecordedEvent> events)
    {
        var rows = new PointRows(events.Count);
        foreach (var recorded in events)
            if (PointOf(recorded) is { } point)
                rows.Add(recorded, point);
        return rows;
    }

    private SatisfactionPoint? PointOf(RecordedEvent recorded) =>
        serializer.Deserialize(recorded.Type, recorded.Data) switch
        {
            SatisfactionSurveyed survey => new SatisfactionPoint(
                recorded.OccurredAt,
                SatisfactionSource.Survey,
                survey.Rating,
                survey.Recommend,
                null,
                recorded.Version
            ),
            ComplaintFiled filed => new SatisfactionPoint(
                recorded.OccurredAt,
                SatisfactionSource.Complaint,
                null,
                null,
                filed.ComplaintId,
                recorded.Version
            ),
            ComplaintResolved resolved => new SatisfactionPoint(
                recorded.OccurredAt,
                SatisfactionSource.Resolution,
                null,
                null,
                resolved.ComplaintId,
                recorded.Version
            ),
            _ => null,
        };

    /// <summary>The batch's points as column arrays, written with one <c>insert … select from unnest(…)</c>.</summary>
    private sealed class PointRows(int capacity) : IReplayBatch
    {
        private readonly List<string> _customers = new(capacity);
        private readonly List<long> _versions = new(capacity);
        private readonly List<DateTime> _at = new(capacity);
        private readonly List<string> _sources = new(capacity);
        private readonly List<int?> _ratings = new(capacity);
        private readonly List<int?> _recommends = new(capacity);
        private readonly List<string?> _complaints = new(capacity);
        private readonly List<ulong> _transactions = new(capacity);
        private readonly List<long> _sequences = new(capacity);

        public async Task ApplyAsync(AsyncProjectionContext context, CancellationToken cancellationToken)
        {
            if (_customers.Count == 0)
                return;
            await using var command = context.CreateCommand(
                $"insert into {context.Table(PointsTable)} "
                    + "(customer_id, version, at, source, rating, recommend, complaint_id, position_tx, position_seq) "
                    + "select * from unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::text[], $5::int[], "
                    + "$6::int[], $7::text[], $8::xid8[], $9::bigint[])"
            );
            AddParameters(command.Parameters);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        public void Add(RecordedEvent recorded, SatisfactionPoint point)
        {
            _customers.Add(recorded.StreamId);
            _versions.Add(point.Version);
            _at.Add(point.At.UtcDateTime);
            _sources.Add(point.Source.ToString());
            _ratings.Add(point.Rating);
            _recommends.Add(point.Recommend);
            _complaints.Add(point.ComplaintId);
            _transactions.Add(recorded.Position.TransactionId);
            _sequences.Add(recorded.Position.SequenceId);
        }

        private void AddParameters(Npgsql.NpgsqlParameterCollection parameters)
        {
            parameters.Add(
                new() { Value = _customers.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text }
            );
            parameters.Add(
                new() { Value = _versions.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint }
            );
            parameters.Add(
                new() { Value = _at.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz }
            );
            parameters.Add(new() { Value = _sources.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            parameters.Add(
                new() { Value = _ratings.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer }
            );
            parameters.Add(
                new() { Value = _recommends.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer }
            );
            parameters.Add(
                new() { Value = _complaints.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text }
            );
            parameters.Add(
                new() { Value = _transactions.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Xid8 }
            );
            parameters.Add(
                new() { Value = _sequences.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint }
            );
        }
    }
}
