namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>One writer of a phase: each call writes and commits once, and says how many events or rows it wrote.</summary>
internal interface IBenchWriter
{
    Task<int> WriteOnceAsync(CancellationToken cancellationToken);
}
