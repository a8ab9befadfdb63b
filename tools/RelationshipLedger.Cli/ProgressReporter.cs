namespace RelationshipLedger.Cli;

/// <summary>
/// Reports progress on the caller's thread, in order; <see cref="Progress{T}"/> would post each report
/// to the thread pool, where a late one could move a progress bar backwards.
/// </summary>
internal sealed class ProgressReporter<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
