namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>How many events or rows were written or read in how long.</summary>
internal readonly record struct Throughput(long Count, TimeSpan Elapsed)
{
    public double PerSecond => Elapsed > TimeSpan.Zero ? Count / Elapsed.TotalSeconds : 0;

    /// <summary>This and <paramref name="other"/> as one measurement: the counts and the times added up.</summary>
    public Throughput Add(Throughput other) => new(Count + other.Count, Elapsed + other.Elapsed);
}
