using RelationshipLedger.Application.Overview;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Application.Customers;

/// <summary>One step of an auditor's replay: the event, the overview right after it, and what changed.</summary>
public sealed record TimelineEntry(
    RecordedEvent Event,
    EventMetadata Metadata,
    object Data,
    CustomerOverview After,
    IReadOnlyList<FieldChange> Changes
);

/// <summary>
/// Replays a customer's stream in append order (only what was recorded by <c>knownAt</c>, when
/// given), measuring the overview after each event at that event's business instant.
/// </summary>
public sealed class CustomerTimeline(EventStore.EventStore store, LifecycleRules rules)
{
    public async Task<IReadOnlyList<TimelineEntry>?> ReplayAsync(
        string customerId,
        DateTimeOffset? knownAt,
        CancellationToken cancellationToken = default
    )
    {
        var entries = new List<TimelineEntry>();
        var state = CustomerState.Initial;
        CustomerOverview? before = null;
        var options = new StreamReadOptions { RecordedAtOrBefore = knownAt };
        await foreach (var recorded in store.ReadStreamAsync(customerId, options, cancellationToken))
        {
            var envelope = store.Serializer.Envelope(recorded);
            state = CustomerDecider.Evolve(
                state,
                (CustomerEvent)envelope.Data,
                new EventMoment(recorded.Version, recorded.OccurredAt)
            );
            if (!state.IsRegistered)
                continue;
            var after = CustomerOverview.From(
                customerId,
                CustomerSummary.Of(state, recorded.OccurredAt, rules),
                recorded.OccurredAt
            );
            entries.Add(
                new TimelineEntry(
                    recorded,
                    envelope.Metadata,
                    envelope.Data,
                    after,
                    OverviewFields.Differences(before, after)
                )
            );
            before = after;
        }
        return entries.Count == 0 ? null : entries;
    }
}
