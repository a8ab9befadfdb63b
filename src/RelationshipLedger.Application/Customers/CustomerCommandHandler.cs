using RelationshipLedger.Application.Erasure;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Protection;

namespace RelationshipLedger.Application.Customers;

/// <summary>
/// Carries out a command on a customer's stream: load the state, decide, append with the version
/// the decision was made on. A lost race reloads and decides again (a few times) unless the caller
/// pinned the version, in which case it is reported as stale. A refused command appends nothing.
/// <para>
/// When this process already holds the customer's head state, the command is first decided on it
/// without reading the stream: the append's expected version proves it current. If that append
/// conflicts, or the cached state refuses the command or disagrees with a pinned version, nothing is
/// concluded from it — the state is loaded from the database and the command decided again.
/// </para>
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

        if (
            loader.Cache.Head(customerId) is { } cached
            && await TryOnCachedStateAsync(customerId, cached, command, context, cancellationToken) is { } outcome
        )
            return outcome;

        for (var attempt = 1; ; attempt++)
        {
            var loaded = await loader.LoadCurrentAsync(customerId, cancellationToken);
            if (context.ExpectedVersion is { } expected && expected != loaded.Version)
                return CommandOutcome.Stale(customerId, loaded.Version);

            var decision = CustomerDecider.Decide(command, loaded.State);
            if (decision.Rejection is { } rejection)
                return CommandOutcome.Rejected(customerId, loaded.Version, rejection);

            try
            {
                return await AppendAsync(customerId, loaded, decision.Events, command, context, cancellationToken);
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

    /// <summary>The outcome of deciding on the cached head, or null when only a fresh load can tell.</summary>
    private async Task<CommandOutcome?> TryOnCachedStateAsync(
        string customerId,
        LoadedCustomer cached,
        CustomerCommand command,
        CommandContext context,
        CancellationToken cancellationToken
    )
    {
        if (context.ExpectedVersion is { } expected && expected != cached.Version)
            return null;
        var decision = CustomerDecider.Decide(command, cached.State);
        if (decision.Rejection is not null)
            return null;
        try
        {
            return await AppendAsync(customerId, cached, decision.Events, command, context, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            return null;
        }
    }

    /// <summary>Appends the decided events after <paramref name="loaded"/> and remembers the state they lead to.</summary>
    private async Task<CommandOutcome> AppendAsync(
        string customerId,
        LoadedCustomer loaded,
        IReadOnlyList<CustomerEvent> events,
        CustomerCommand command,
        CommandContext context,
        CancellationToken cancellationToken
    )
    {
        AppendResult result;
        try
        {
            result = await store.AppendAsync(
                customerId,
                ExpectedVersion.Exactly(loaded.Version),
                ToAppend(events, command, context),
                CustomerId.StreamType,
                cancellationToken
            );
        }
        catch (StreamErasedException erased)
        {
            return CommandOutcome.Rejected(
                customerId,
                loaded.Version,
                Rejection.Conflict(
                    "personal-data-erased",
                    $"This customer's personal data was erased: {erased.Field} cannot be recorded for it any more."
                )
            );
        }
        var head =
            loader.Cache.TakeAppendedHead(result.Events[^1].EventId, result.StreamVersion)
            ?? new LoadedCustomer(Folded(loaded.State, events, result), result.StreamVersion);
        loader.Cache.OfferHead(customerId, head);
        return CommandOutcome.Accepted(customerId, result.StreamVersion, [.. result.Events.Select(e => e.EventId)]);
    }

    private static CustomerState Folded(CustomerState state, IReadOnlyList<CustomerEvent> events, AppendResult result)
    {
        for (var i = 0; i < events.Count; i++)
        {
            var recorded = result.Events[i];
            state = CustomerDecider.Evolve(state, events[i], new EventMoment(recorded.Version, recorded.OccurredAt));
        }
        return state;
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
