using RelationshipLedger.Domain.Customers;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Application.Customers;

/// <summary>
/// Carries out a command on a customer's stream: load the state, decide, append with the version
/// the decision was made on. A lost race reloads and decides again (a few times) unless the caller
/// pinned the version, in which case it is reported as stale. A refused command appends nothing.
/// </summary>
public sealed class CustomerCommandHandler(EventStore.EventStore store, CustomerStateLoader loader)
{
    /// <summary>
    /// Every lost race means another writer committed since this one loaded, so with N writers on
    /// one customer a command loses at most N − 1 times: this many attempts always suffice for up
    /// to this many simultaneous writers to one stream. Beyond that the caller sees the conflict.
    /// </summary>
    public const int MaxAttempts = 8;

    public async Task<CommandOutcome> HandleAsync(
        string customerId,
        CustomerCommand command,
        CommandContext context,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(context);
        if (!CustomerId.IsValid(customerId))
            throw new ArgumentException($"A customer id is {CustomerId.Rule}.", nameof(customerId));

        for (var attempt = 1; ; attempt++)
        {
            var loaded = await loader.LoadCurrentAsync(customerId, cancellationToken);
            if (context.ExpectedVersion is { } expected && expected != loaded.Version)
                return CommandOutcome.Stale(customerId, loaded.Version);

            var decision = CustomerDecider.Decide(command, loaded.State);
            if (decision.Rejection is { } rejection)
                return CommandOutcome.Rejected(customerId, loaded.Version, rejection);

            var events = ToAppend(decision.Events, command, context);
            try
            {
                var result = await store.AppendAsync(
                    customerId,
                    ExpectedVersion.Exactly(loaded.Version),
                    events,
                    CustomerId.StreamType,
                    cancellationToken
                );
                return CommandOutcome.Accepted(
                    customerId,
                    result.StreamVersion,
                    [.. result.Events.Select(e => e.EventId)]
                );
            }
            catch (ConcurrencyConflictException) when (context.ExpectedVersion is null && attempt < MaxAttempts)
            {
                // Somebody appended first: load what they wrote and decide again.
            }
            catch (ConcurrencyConflictException conflict) when (context.ExpectedVersion is not null)
            {
                return CommandOutcome.Stale(customerId, conflict.ActualVersion ?? loaded.Version);
            }
        }
    }

    private static EventToAppend[] ToAppend(
        IReadOnlyList<CustomerEvent> events,
        CustomerCommand command,
        CommandContext context
    )
    {
        var metadata = context.Metadata;
        var appended = new EventToAppend[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            appended[i] = new EventToAppend(events[i])
            {
                OccurredAt = command.EffectiveAt,
                Metadata = metadata,
                EventId = context.EventIds is { } ids && i < ids.Count ? ids[i] : null,
            };
        }
        return appended;
    }
}
