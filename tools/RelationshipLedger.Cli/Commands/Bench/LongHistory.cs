using RelationshipLedger.Domain.Customers;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>
/// A customer with a long history for the read benchmark: one event a day (purchases, contacts,
/// surveys in turn) appended through the projected store in batches, so its overview row and
/// periodic snapshots exist as they would for a real customer.
/// </summary>
internal static class LongHistory
{
    private const int BatchSize = 100;

    public static async Task<DateTimeOffset> WriteAsync(
        EventStore.EventStore store,
        string customerId,
        int events,
        CancellationToken cancellationToken
    )
    {
        var start = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-events - 1).AddHours(9);
        var metadata = new EventMetadata { Actor = "bench" };
        var batch = new List<EventToAppend>
        {
            new(new CustomerEvent.CustomerRegistered("Long History AG", CustomerKind.Organization))
            {
                OccurredAt = start,
                Metadata = metadata,
            },
        };
        long version = 0;
        for (var i = 1; i < events; i++)
        {
            batch.Add(new EventToAppend(EventOfDay(i)) { OccurredAt = start.AddDays(i), Metadata = metadata });
            if (batch.Count == BatchSize || i == events - 1)
            {
                await store.AppendAsync(
                    customerId,
                    ExpectedVersion.Exactly(version),
                    batch,
                    "customer",
                    cancellationToken
                );
                version += batch.Count;
                batch.Clear();
            }
        }
        return start;
    }

    private static CustomerEvent EventOfDay(int day) =>
        (day % 5) switch
        {
            0 or 1 => new CustomerEvent.PurchaseRecorded($"order-{day}", 200 + (day % 37), "EUR"),
            2 => new CustomerEvent.ContactRecorded(
                $"contact-{day}",
                ContactChannel.Phone,
                ContactInitiator.Company,
                ContactPurpose.FollowUp
            ),
            3 => new CustomerEvent.SatisfactionSurveyed($"survey-{day}", 3 + (day % 3), RepurchaseIntent.Yes, 8),
            _ => new CustomerEvent.ContactRecorded(
                $"contact-{day}",
                ContactChannel.Meeting,
                ContactInitiator.Company,
                ContactPurpose.JointPlanning
            ),
        };
}
