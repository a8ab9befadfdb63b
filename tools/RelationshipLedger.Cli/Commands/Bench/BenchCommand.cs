using System.CommandLine;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary><c>ledger bench …</c>: benchmarks that measure the ledger beside raw PostgreSQL in the same run.</summary>
internal static class BenchCommand
{
    public static Command Create() =>
        new("bench", "Measure the ledger's throughput beside a raw PostgreSQL baseline.")
        {
            StoreBenchmarkCommand.Create(),
        };
}
