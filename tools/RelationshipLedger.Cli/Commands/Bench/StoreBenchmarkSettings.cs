namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>
/// How <c>ledger bench store</c> runs: where, how long, how many writers, how large the events are.
/// Each phase's <see cref="Duration"/> is split into <see cref="Rounds"/> slices for the store and as
/// many for the baseline, alternated, so that a change in the machine's load hits both alike.
/// </summary>
internal sealed record StoreBenchmarkSettings(
    string? Connection,
    bool Fsync,
    TimeSpan Duration,
    TimeSpan Warmup,
    int Rounds,
    int Writers,
    int BatchSize,
    int PayloadBytes,
    int ReadPageSize
)
{
    /// <summary>
    /// What another benchmark needs to start its <see cref="BenchTarget"/>: where it runs, with or without
    /// fsync, and how many writers its pool serves; the store benchmark's own phases are left empty.
    /// </summary>
    public static StoreBenchmarkSettings ForTarget(string? connection, bool fsync, int writers) =>
        new(
            connection,
            fsync,
            TimeSpan.Zero,
            TimeSpan.Zero,
            Rounds: 1,
            writers,
            BatchSize: 1,
            PayloadBytes: 0,
            ReadPageSize: 0
        );
}
