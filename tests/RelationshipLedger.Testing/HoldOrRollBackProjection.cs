using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Projections;

namespace RelationshipLedger.Testing;

/// <summary>
/// An inline projection for tests of concurrent readers: an append carrying an event that
/// <c>hold</c> picks stays open — its events inserted, its transaction uncommitted — until
/// <see cref="Release"/>; an append carrying an event that <c>rollBack</c> picks fails after its
/// events were inserted, so its transaction rolls back.
/// </summary>
public sealed class HoldOrRollBackProjection(Func<object, bool> hold, Func<object, bool> rollBack) : IInlineProjection
{
    private readonly TaskCompletionSource<RecordedEvent> _held = new(
        TaskCreationOptions.RunContinuationsAsynchronously
    );
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the held event once it is inserted (and its transaction is still open).</summary>
    public Task<RecordedEvent> HeldEventInserted => _held.Task;

    /// <summary>Lets the held append commit. Safe to call more than once.</summary>
    public void Release() => _release.TrySetResult();

    public async Task ApplyAsync(InlineProjectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var envelope in context.Events)
        {
            if (rollBack(envelope.Data))
                throw new RolledBackOnPurposeException();
            if (hold(envelope.Data))
            {
                _held.TrySetResult(envelope.Event);
                await _release.Task.WaitAsync(cancellationToken);
            }
        }
    }
}

/// <summary>Thrown by <see cref="HoldOrRollBackProjection"/> to make an append fail after its events were inserted.</summary>
public sealed class RolledBackOnPurposeException : Exception
{
    public RolledBackOnPurposeException()
        : base("This append is rolled back on purpose.") { }

    public RolledBackOnPurposeException(string message)
        : base(message) { }

    public RolledBackOnPurposeException(string message, Exception innerException)
        : base(message, innerException) { }
}
