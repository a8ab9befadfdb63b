namespace RelationshipLedger.EventStore;

public sealed partial class EventStore
{
    /// <summary>
    /// Folds the stream's events that match <paramref name="readOptions"/> (up to a version, a
    /// business instant and/or a knowledge instant) into a state, starting from <paramref name="initial"/>.
    /// </summary>
    public async Task<Folded<TState>> AggregateAsync<TState>(
        string streamId,
        TState initial,
        Func<TState, EventEnvelope, TState> fold,
        StreamReadOptions? readOptions = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(fold);
        var state = initial;
        long version = 0;
        var count = 0;
        await foreach (var recorded in ReadStreamAsync(streamId, readOptions, cancellationToken))
        {
            state = fold(state, Serializer.Envelope(recorded));
            version = Math.Max(version, recorded.Version);
            count++;
        }
        return new Folded<TState>(state, version, count);
    }
}
