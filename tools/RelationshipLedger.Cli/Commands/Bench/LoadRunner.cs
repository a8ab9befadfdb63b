using System.Diagnostics;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>
/// Runs writers concurrently, each in a closed loop: first for the warm-up, then for the measured
/// period. The writers never pause between the two, so the measurement starts at full load; it counts
/// what was committed between its start and its end.
/// </summary>
internal static class LoadRunner
{
    public static async Task<Throughput> RunAsync(
        IReadOnlyList<IBenchWriter> writers,
        TimeSpan warmup,
        TimeSpan duration,
        CancellationToken cancellationToken
    )
    {
        var load = new Load();
        var running = Task.WhenAll(
            writers.Select(writer => Task.Run(() => load.LoopAsync(writer, cancellationToken), cancellationToken))
        );
        try
        {
            await WhileRunningAsync(running, warmup, cancellationToken);
            var before = load.Completed;
            var clock = Stopwatch.StartNew();
            await WhileRunningAsync(running, duration, cancellationToken);
            var measured = new Throughput(load.Completed - before, clock.Elapsed);
            load.Stop();
            await running;
            return measured;
        }
        finally
        {
            load.Stop();
        }
    }

    /// <summary>Waits for <paramref name="period"/>, failing at once with a writer's error if one fails.</summary>
    private static async Task WhileRunningAsync(Task running, TimeSpan period, CancellationToken cancellationToken)
    {
        if (period <= TimeSpan.Zero)
            return;
        var first = await Task.WhenAny(running, Task.Delay(period, cancellationToken));
        await first;
        if (first == running)
            throw new InvalidOperationException("The benchmark's writers stopped before the phase ended.");
    }

    private sealed class Load
    {
        private long _completed;
        private volatile bool _stopped;

        public long Completed => Interlocked.Read(ref _completed);

        public void Stop() => _stopped = true;

        public async Task LoopAsync(IBenchWriter writer, CancellationToken cancellationToken)
        {
            while (!_stopped)
                Interlocked.Add(ref _completed, await writer.WriteOnceAsync(cancellationToken));
        }
    }
}
