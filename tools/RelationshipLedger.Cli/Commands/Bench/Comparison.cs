namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>
/// One line of the report: the store's rate beside its raw baseline's, and the ratio the store must
/// reach (null for lines shown for context only). A context line without a store figure has a null StoreRate.
/// </summary>
internal sealed record Comparison(
    string Phase,
    int Writers,
    double? StoreRate,
    string Baseline,
    double BaselineRate,
    double? Target
)
{
    public double? Ratio => StoreRate / BaselineRate;

    public bool? Met => Target is { } target && Ratio is { } ratio ? ratio >= target : null;
}

/// <summary>Everything a run measured, with where and how it ran.</summary>
internal sealed record StoreBenchmarkReport(
    StoreBenchmarkSettings Settings,
    MachineInfo Machine,
    IReadOnlyList<Comparison> Comparisons,
    long LogEvents
);
