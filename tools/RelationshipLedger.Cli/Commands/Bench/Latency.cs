using System.Diagnostics;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>Percentiles of a call's duration, measured one call at a time after a warm-up.</summary>
internal sealed record Latency(int Samples, double P50, double P95, double P99)
{
    public static async Task<Latency> MeasureAsync(Func<Task> call, int warmup, int samples)
    {
        ArgumentNullException.ThrowIfNull(call);
        for (var i = 0; i < warmup; i++)
            await call();
        var milliseconds = new double[samples];
        for (var i = 0; i < samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await call();
            milliseconds[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        Array.Sort(milliseconds);
        return new Latency(samples, At(milliseconds, 0.50), At(milliseconds, 0.95), At(milliseconds, 0.99));
    }

    /// <summary>The nearest-rank percentile of sorted values.</summary>
    private static double At(double[] sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
