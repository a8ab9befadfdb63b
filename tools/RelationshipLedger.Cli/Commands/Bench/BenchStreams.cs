using System.Globalization;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>How the benchmark's writers name and share out streams: each writer has its own, so no two writers ever conflict.</summary>
internal static class BenchStreams
{
    public const int PerWriter = 16;

    public const string Type = "customer";

    public static string Prefix(string phase, int writer) =>
        string.Create(CultureInfo.InvariantCulture, $"customer-{phase}-{writer}");

    public static string Id(string prefix, int stream) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}-{stream}");
}
