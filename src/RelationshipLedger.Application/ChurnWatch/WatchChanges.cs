using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.EventStore;
using static RelationshipLedger.Domain.Customers.CustomerEvent;

namespace RelationshipLedger.Application.ChurnWatch;

/// <summary>
/// What one batch changes in the watch list, one entry per customer (a MERGE may touch a row once):
/// the last flag or end in log order, the latest contact by (occurred_at, version), and the position
/// of the customer's last event in the batch; as column arrays for one <c>merge … using unnest(…)</c>.
/// </summary>
internal sealed class WatchChanges
{
    private readonly Dictionary<string, CustomerChange> _byCustomer = new(StringComparer.Ordinal);
    private readonly List<CustomerChange> _inOrder = [];

    public int Count => _inOrder.Count;

    public void Apply(RecordedEvent recorded, object data)
    {
        if (!_byCustomer.TryGetValue(recorded.StreamId, out var change))
        {
            change = new CustomerChange(recorded.StreamId);
            _byCustomer.Add(recorded.StreamId, change);
            _inOrder.Add(change);
        }
        change.Position = recorded.Position;
        switch (data)
        {
            case ChurnRiskFlagged flagged:
                change.FlagAction = "set";
                change.FlaggedAt = recorded.OccurredAt;
                change.FlagVersion = recorded.Version;
                change.Signals = string.Join(',', flagged.Signals);
                break;
            case RelationshipEnded:
                change.FlagAction = "clear";
                change.FlaggedAt = null;
                change.FlagVersion = null;
                change.Signals = null;
                break;
            case ContactRecorded contact when change.IsLaterContact(recorded):
                change.ContactAt = recorded.OccurredAt;
                change.ContactVersion = recorded.Version;
                change.Channel = contact.Channel.ToString();
                change.Initiator = contact.Initiator.ToString();
                change.Purpose = contact.Purpose.ToString();
                break;
        }
    }

    public void AddParameters(NpgsqlParameterCollection parameters)
    {
        Add(parameters, _inOrder.Select(c => c.CustomerId), NpgsqlDbType.Text);
        Add(parameters, _inOrder.Select(c => c.FlagAction), NpgsqlDbType.Text);
        Add(parameters, _inOrder.Select(c => c.FlaggedAt?.UtcDateTime), NpgsqlDbType.TimestampTz);
        Add(parameters, _inOrder.Select(c => c.FlagVersion), NpgsqlDbType.Bigint);
        Add(parameters, _inOrder.Select(c => c.Signals), NpgsqlDbType.Text);
        Add(parameters, _inOrder.Select(c => c.ContactAt?.UtcDateTime), NpgsqlDbType.TimestampTz);
        Add(parameters, _inOrder.Select(c => c.ContactVersion), NpgsqlDbType.Bigint);
        Add(parameters, _inOrder.Select(c => c.Channel), NpgsqlDbType.Text);
        Add(parameters, _inOrder.Select(c => c.Initiator), NpgsqlDbType.Text);
        Add(parameters, _inOrder.Select(c => c.Purpose), NpgsqlDbType.Text);
        Add(parameters, _inOrder.Select(c => c.Position.TransactionId), NpgsqlDbType.Xid8);
        Add(parameters, _inOrder.Select(c => c.Position.SequenceId), NpgsqlDbType.Bigint);
    }

    private static void Add<T>(NpgsqlParameterCollection parameters, IEnumerable<T> values, NpgsqlDbType type) =>
        parameters.Add(new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | type });

    private sealed class CustomerChange(string customerId)
    {
        public string CustomerId { get; } = customerId;

        public GlobalPosition Position { get; set; }

        /// <summary><c>set</c> (a flag), <c>clear</c> (an end after it) or null (neither in this batch).</summary>
        public string? FlagAction { get; set; }

        public DateTimeOffset? FlaggedAt { get; set; }

        public long? FlagVersion { get; set; }

        public string? Signals { get; set; }

        public DateTimeOffset? ContactAt { get; set; }

        public long? ContactVersion { get; set; }

        public string? Channel { get; set; }

        public string? Initiator { get; set; }

        public string? Purpose { get; set; }

        public bool IsLaterContact(RecordedEvent recorded) =>
            ContactAt is not { } at
            || (recorded.OccurredAt, recorded.Version).CompareTo((at, ContactVersion!.Value)) > 0;
    }
}
