using RelationshipLedger.Application.Overview;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Application.Customers;

/// <summary>An event recorded between the two knowledge instants about a business instant at or before the one asked about.</summary>
public sealed record CorrectionEvent(
    long Version,
    string Type,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    string? Actor
);

/// <summary>A projected field whose value about the instant differs between the two knowledge instants, and the events that changed it.</summary>
public sealed record CorrectedField(
    string Field,
    string? Before,
    string? After,
    IReadOnlyList<CorrectionEvent> CausedBy
);

/// <summary>
/// <c>GET /customers/{id}/corrections</c>: what the ledger said about <see cref="AsOf"/> knowing what was recorded
/// by <see cref="From"/>, against knowing what was recorded by <see cref="To"/>. <see cref="Before"/> is null when the
/// customer was not known then.
/// </summary>
public sealed record CustomerCorrections(
    string CustomerId,
    DateTimeOffset AsOf,
    DateTimeOffset From,
    DateTimeOffset To,
    CustomerOverview? Before,
    CustomerOverview? After,
    IReadOnlyList<CorrectedField> Fields,
    IReadOnlyList<CorrectionEvent> Events
);

/// <summary>
/// The correction report: the events recorded in (from, to] that occurred at or before asOf are the
/// corrections (late or back-dated facts). They are added to what was known at <c>from</c> one at a time, in
/// the order they were recorded, measuring the overview at asOf after each: a field's causes are the events
/// whose addition changed it. Each step folds in business order (occurred, version), as every as-of read does.
/// </summary>
public sealed class CorrectionReport(EventStore.EventStore store, LifecycleRules rules)
{
    public async Task<CustomerCorrections?> ReportAsync(
        string customerId,
        DateTimeOffset asOf,
        DateTimeOffset from,
        DateTimeOffset to,
        CancellationToken cancellationToken = default
    )
    {
        if (await store.GetStreamAsync(customerId, cancellationToken) is null)
            return null;
        var options = new StreamReadOptions
        {
            OccurredAtOrBefore = asOf,
            RecordedAtOrBefore = to,
            Order = StreamOrder.OccurredAt,
        };
        var known = new List<EventEnvelope>();
        var corrections = new List<EventEnvelope>();
        await foreach (var recorded in store.ReadStreamAsync(customerId, options, cancellationToken))
            (recorded.RecordedAt <= from ? known : corrections).Add(store.Serializer.Envelope(recorded));
        // Recorded order is version order within a stream.
        corrections.Sort((a, b) => a.Event.Version.CompareTo(b.Event.Version));

        var before = OverviewOf(customerId, known, asOf);
        var causes = new Dictionary<string, List<CorrectionEvent>>();
        var current = new List<EventEnvelope>(known);
        var previous = before;
        foreach (var correction in corrections)
        {
            current.Add(correction);
            var next = OverviewOf(customerId, current, asOf);
            foreach (var change in OverviewFields.Differences(previous, next))
            {
                if (!causes.TryGetValue(change.Field, out var list))
                    causes[change.Field] = list = [];
                list.Add(Describe(correction));
            }
            previous = next;
        }
        var fields = OverviewFields
            .Differences(before, previous)
            .Select(c => new CorrectedField(c.Field, c.Before, c.After, causes.GetValueOrDefault(c.Field) ?? []))
            .ToList();
        return new CustomerCorrections(
            customerId,
            asOf,
            from,
            to,
            before,
            previous,
            fields,
            [.. corrections.Select(Describe)]
        );
    }

    /// <summary>The overview at <paramref name="asOf"/> of <paramref name="events"/> folded in business order; null before registration.</summary>
    private CustomerOverview? OverviewOf(string customerId, IEnumerable<EventEnvelope> events, DateTimeOffset asOf)
    {
        var state = CustomerState.Initial;
        foreach (var envelope in events.OrderBy(e => e.Event.OccurredAt).ThenBy(e => e.Event.Version))
            state = CustomerDecider.Evolve(
                state,
                (CustomerEvent)envelope.Data,
                new EventMoment(envelope.Event.Version, envelope.Event.OccurredAt)
            );
        return state.IsRegistered
            ? CustomerOverview.From(customerId, CustomerSummary.Of(state, asOf, rules), asOf)
            : null;
    }

    private static CorrectionEvent Describe(EventEnvelope envelope) =>
        new(
            envelope.Event.Version,
            envelope.Event.Type,
            envelope.Event.OccurredAt,
            envelope.Event.RecordedAt,
            envelope.Metadata.Actor
        );
}
