using RelationshipLedger.EventStore.Projections;

namespace RelationshipLedger.EventStore.Tests;

/// <summary>An inline projection made of a function, for tests that act inside an append's transaction.</summary>
public sealed class InlineProjection(Func<InlineProjectionContext, CancellationToken, Task> apply) : IInlineProjection
{
    public Task ApplyAsync(InlineProjectionContext context, CancellationToken cancellationToken) =>
        apply(context, cancellationToken);
}

/// <summary>Thrown by a test projection to make an append fail after its events were inserted.</summary>
public sealed class RefusedByProjectionException : Exception
{
    public RefusedByProjectionException() { }

    public RefusedByProjectionException(string message)
        : base(message) { }

    public RefusedByProjectionException(string message, Exception innerException)
        : base(message, innerException) { }
}
