using System.Collections.Concurrent;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>The kinds of request <c>ledger bench load</c> sends.</summary>
internal enum LoadKind
{
    Append,
    Overview,
    TimeTravel,
    Feed,
}

/// <summary>One kind's figures over the measured period.</summary>
internal sealed record KindFigures(
    LoadKind Kind,
    long Requests,
    long Failures,
    double PerSecond,
    double P50,
    double P95,
    double P99,
    string? FirstFailure
);

/// <summary>
/// Every request's duration and outcome, per kind; only those that start inside the measured period count
/// (<see cref="Measuring"/> is switched on after the warm-up and off at the end).
/// </summary>
internal sealed class LoadRecorder
{
    private readonly ConcurrentDictionary<LoadKind, ConcurrentQueue<double>> _milliseconds = new();
    private readonly ConcurrentDictionary<LoadKind, long> _failures = new();
    private readonly ConcurrentDictionary<LoadKind, string> _firstFailure = new();

    public volatile bool Measuring;

    public void Succeeded(LoadKind kind, double milliseconds)
    {
        if (Measuring)
            _milliseconds.GetOrAdd(kind, _ => new()).Enqueue(milliseconds);
    }

    public void Failed(LoadKind kind, string what)
    {
        _firstFailure.TryAdd(kind, what);
        if (Measuring)
            _failures.AddOrUpdate(kind, 1, (_, count) => count + 1);
    }

    public IReadOnlyList<KindFigures> Figures(TimeSpan measured) =>
        [
            .. Enum.GetValues<LoadKind>()
                .Select(kind =>
                {
                    var sorted = _milliseconds.TryGetValue(kind, out var queue) ? queue.ToArray() : [];
                    Array.Sort(sorted);
                    return new KindFigures(
                        kind,
                        sorted.Length,
                        _failures.GetValueOrDefault(kind),
                        sorted.Length / measured.TotalSeconds,
                        At(sorted, 0.50),
                        At(sorted, 0.95),
                        At(sorted, 0.99),
                        _firstFailure.GetValueOrDefault(kind)
                    );
                }),
        ];

    /// <summary>The nearest-rank percentile of sorted values (0 when there are none).</summary>
    private static double At(double[] sorted, double fraction) =>
        sorted.Length == 0
            ? 0
            : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
