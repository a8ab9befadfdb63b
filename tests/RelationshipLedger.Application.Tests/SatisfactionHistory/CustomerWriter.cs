using RelationshipLedger.Application.Customers;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.EventStore;
using RelationshipLedger.Testing;
using static RelationshipLedger.Domain.Customers.CustomerEvent;

namespace RelationshipLedger.Application.Tests.SatisfactionHistory;

/// <summary>
/// Appends valid customer histories straight to the store — registrations, surveys, complaints,
/// resolutions of open complaints and purchases, in appends of one to three events at exact
/// versions — so that tests can race writers against the projection daemon.
/// </summary>
public sealed class CustomerWriter(EventStore.EventStore store, string customerId, int seed)
{
    /// <summary>A survey with this comment makes the test store roll its append back.</summary>
    public const string RollBackComment = "roll this append back";

    private static readonly DateTimeOffset Start = new(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);

    private readonly Random _random = new(seed);
    private readonly List<string> _openComplaints = [];
    private long _version;
    private int _next;

    public string CustomerId { get; } = customerId;

    /// <summary>One append of one to three events; every <paramref name="rollBackEvery"/>-th is refused by the test store.</summary>
    public async Task<bool> AppendAsync(int rollBackEvery = 0, CancellationToken cancellationToken = default)
    {
        var open = new List<string>(_openComplaints);
        var events = new List<EventToAppend>();
        var count = _version == 0 ? 1 : _random.Next(1, 4);
        for (var i = 0; i < count; i++)
            events.Add(At(_version == 0 && i == 0 ? Registration() : Next(open)));
        var rollBack = rollBackEvery > 0 && _random.Next(rollBackEvery) == 0 && _version > 0;
        if (rollBack)
            events.Add(At(new SatisfactionSurveyed($"rb-{Guid.NewGuid():N}", 1, Comment: RollBackComment)));
        try
        {
            var result = await store.AppendAsync(
                CustomerId,
                ExpectedVersion.Exactly(_version),
                events,
                Customers.CustomerId.StreamType,
                cancellationToken
            );
            _version = result.StreamVersion;
            _openComplaints.Clear();
            _openComplaints.AddRange(open);
            return true;
        }
        catch (RolledBackOnPurposeException) when (rollBack)
        {
            return false;
        }
    }

    private static CustomerRegistered Registration() =>
        new CustomerRegistered("Harbour Logistics", CustomerKind.Organization);

    private CustomerEvent Next(List<string> open)
    {
        var n = ++_next;
        switch (_random.Next(5))
        {
            case 0:
                var complaintId = $"c-{n}";
                open.Add(complaintId);
                return new ComplaintFiled(complaintId, ComplaintCategory.Delivery, ComplaintSeverity.Low, "late");
            case 1 when open.Count > 0:
                var resolved = open[_random.Next(open.Count)];
                open.Remove(resolved);
                return new ComplaintResolved(resolved, "refunded the delivery", _random.Next(2) == 0);
            case 2:
                return new PurchaseRecorded($"o-{n}", 100m + n, "EUR");
            default:
                return new SatisfactionSurveyed(
                    $"s-{n}",
                    _random.Next(1, 6),
                    Recommend: _random.Next(3) == 0 ? null : _random.Next(0, 11)
                );
        }
    }

    /// <summary>Business time hours apart, now and then back-dated, so (at, version) order differs from version order.</summary>
    private EventToAppend At(CustomerEvent @event) =>
        new(@event) { OccurredAt = Start.AddHours(_next * 7 - (_random.Next(4) == 0 ? 30 : 0)) };
}
