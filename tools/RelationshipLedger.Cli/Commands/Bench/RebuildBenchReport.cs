using System.Globalization;
using System.Text;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>Prints <c>ledger bench rebuild</c>'s figures as a table, then as Markdown for docs/benchmarks.md.</summary>
internal static class RebuildBenchReport
{
    private const double MiB = 1024 * 1024;

    public static void Write(RebuildBenchmarkReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var table = new Table()
            .Title("Rebuilds against a raw sequential read of the same rows")
            .AddColumn("Projection")
            .AddColumn(new TableColumn("log events").RightAligned())
            .AddColumn(new TableColumn("its events").RightAligned())
            .AddColumn(new TableColumn("rebuild /s").RightAligned())
            .AddColumn(new TableColumn("warm /s").RightAligned())
            .AddColumn(new TableColumn("raw read /s").RightAligned())
            .AddColumn(new TableColumn("ratio (goal ≥ 0.3)").RightAligned())
            .AddColumn(new TableColumn("warm ratio").RightAligned())
            .AddColumn(new TableColumn("took (s)").RightAligned())
            .AddColumn(new TableColumn("peak MiB").RightAligned())
            .AddColumn("equals live");
        foreach (var run in report.Runs)
            table.AddRow(
                Markup.Escape(run.Projection),
                Invariant($"{run.LogEvents:N0}"),
                Invariant($"{run.ProjectionEvents:N0}"),
                Invariant($"{run.RebuildPerSecond:N0}"),
                Invariant($"{run.WarmRebuildPerSecond:N0}"),
                Invariant($"{run.RawPerSecond:N0}"),
                Invariant($"{run.Ratio:0.00}"),
                Invariant($"{run.WarmRatio:0.00}"),
                Invariant($"{run.Took.TotalSeconds:0.0}"),
                Invariant($"{run.PeakWorkingSetBytes / MiB:N0}"),
                Matches(run.MatchesLive)
            );
        Output.Results.WriteLine();
        Output.Results.Write(table);
        foreach (var (projection, small, large) in MemoryPairs(report))
            Output.Results.MarkupLine(
                Invariant(
                    $"{Markup.Escape(projection)}: peak memory {large / MiB:N0} MiB at {report.Settings.LargeLog:N0} events vs {small / MiB:N0} MiB at {report.Settings.SmallLog:N0}: {(double)large / small:0.00}× (goal ≤ 1.5×)"
                )
            );
        BenchMarkdown.Print(Markdown(report));
    }

    private static IEnumerable<(string Projection, long Small, long Large)> MemoryPairs(
        RebuildBenchmarkReport report
    ) =>
        report
            .Runs.GroupBy(r => r.Projection)
            .Where(g => g.Count() >= 2)
            .Select(g => (g.Key, g.First().PeakWorkingSetBytes, g.Last().PeakWorkingSetBytes));

    private static string Markdown(RebuildBenchmarkReport report)
    {
        var machine = report.Machine;
        var text = new StringBuilder()
            .AppendLine(BenchMarkdown.Heading(machine))
            .AppendLine()
            .AppendLine(
                Invariant(
                    $"- Client: {BenchMarkdown.ClientAndServer(machine)}; {BenchMarkdown.Load(machine, report.LoadAverageAtEnd)}"
                )
            )
            .AppendLine(
                Invariant(
                    $"- Log: {report.SeededEvents:N0} events of {report.SeededCustomers:N0} seeded customers, appended one history per append by {report.Settings.Writers} writers in {report.Seeding.TotalSeconds:0} s ({report.SeededEvents / Math.Max(report.Seeding.TotalSeconds, 0.001):N0} events/s)"
                )
            )
            .AppendLine(
                "- Rebuild: in a fresh `ledger projections rebuild` process (its peak working set sampled); warm: again in the benchmark's own process, its code already compiled, as in a running API"
            )
            .AppendLine()
            .AppendLine(
                "| projection | log events | its events | rebuild events/s | warm events/s | raw read rows/s | ratio (goal ≥ 0.3) | warm ratio | took | peak working set | rebuilt = live |"
            )
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var run in report.Runs)
            text.AppendLine(
                Invariant(
                    $"| {run.Projection} | {run.LogEvents:N0} | {run.ProjectionEvents:N0} | {run.RebuildPerSecond:N0} | {run.WarmRebuildPerSecond:N0} | {run.RawPerSecond:N0} | {run.Ratio:0.00} | {run.WarmRatio:0.00} | {run.Took.TotalSeconds:0.0} s | {run.PeakWorkingSetBytes / MiB:N0} MiB | {Matches(run.MatchesLive)} |"
                )
            );
        text.AppendLine();
        foreach (var (projection, small, large) in MemoryPairs(report))
            text.AppendLine(
                Invariant(
                    $"- {projection}: peak working set {large / MiB:N0} MiB at {report.Settings.LargeLog:N0} events vs {small / MiB:N0} MiB at {report.Settings.SmallLog:N0}: {(double)large / small:0.00}× (goal ≤ 1.5×)"
                )
            );
        return text.ToString();
    }

    private static string Matches(bool? matches) =>
        matches switch
        {
            true => "yes",
            false => "NO",
            null => "not compared",
        };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
