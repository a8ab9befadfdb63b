using System.Globalization;
using System.Text;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>Prints <c>ledger bench ledger</c>'s figures as tables, then as Markdown for docs/benchmarks.md.</summary>
internal static class LedgerBenchReport
{
    public static void Write(LedgerBenchmarkReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var appends = new Table()
            .Title("Single-event commands: handler + inline overview vs bare AppendAsync (events per second)")
            .AddColumn("Workload")
            .AddColumn(new TableColumn("Writers").RightAligned())
            .AddColumn(new TableColumn("Handler").RightAligned())
            .AddColumn(new TableColumn("Bare store").RightAligned())
            .AddColumn(new TableColumn("Ratio").RightAligned())
            .AddColumn("Goal")
            .AddColumn("Result");
        foreach (var line in report.Appends)
            appends.AddRow(
                Markup.Escape(line.Workload.Name),
                Invariant($"{line.Writers}"),
                Invariant($"{line.Handler.PerSecond:N0}"),
                Invariant($"{line.Bare.PerSecond:N0}"),
                Invariant($"{line.Ratio:0.00}×"),
                Invariant($"≥ {AppendComparison.Target:0.0}×"),
                line.Ratio >= AppendComparison.Target ? "[green]met[/]" : "[red]missed[/]"
            );
        var reads = new Table()
            .Title(Invariant($"Overview of a customer with {report.Settings.HistoryEvents:N0} events (milliseconds)"))
            .AddColumn("Query")
            .AddColumn(new TableColumn("p50").RightAligned())
            .AddColumn(new TableColumn("p95").RightAligned())
            .AddColumn(new TableColumn("p99").RightAligned())
            .AddColumn("Goal")
            .AddColumn("Result");
        foreach (var read in report.Reads)
            reads.AddRow(
                Markup.Escape(read.Query),
                Invariant($"{read.Latency.P50:0.00}"),
                Invariant($"{read.Latency.P95:0.00}"),
                Invariant($"{read.Latency.P99:0.00}"),
                Invariant($"p50 < {ReadLatency.TargetP50Milliseconds:0}"),
                read.Latency.P50 < ReadLatency.TargetP50Milliseconds ? "[green]met[/]" : "[red]missed[/]"
            );
        Output.Results.WriteLine();
        Output.Results.Write(appends);
        Output.Results.Write(reads);
        BenchMarkdown.Print(Markdown(report));
    }

    private static string Markdown(LedgerBenchmarkReport report)
    {
        var (settings, machine) = (report.Settings, report.Machine);
        var text = new StringBuilder();
        text.AppendLine(BenchMarkdown.Heading(machine))
            .AppendLine()
            .AppendLine(
                Invariant(
                    $"- Client: {machine.Cores} cores, {machine.MemoryGiB:0.0} GiB, {machine.Processor}; {machine.OperatingSystem}; {machine.Runtime}"
                )
            )
            .AppendLine(
                Invariant(
                    $"- Server: {machine.ServerVersion.Split(" on ")[0]}; fsync {machine.Fsync}, synchronous_commit {machine.SynchronousCommit}, shared_buffers {machine.SharedBuffers}"
                )
            )
            .AppendLine(
                Invariant(
                    $"- Run: {settings.Duration.TotalSeconds:0} s per side and writer count in {settings.Rounds} alternated rounds, {settings.Warmup.TotalSeconds:0} s warm-up each; {settings.Samples} reads per query; {BenchMarkdown.Load(machine, report.LoadAverageAtEnd)}"
                )
            )
            .AppendLine()
            .AppendLine(
                "| workload | writers | handler + inline overview (events/s) | bare AppendAsync (events/s) | ratio | goal ≥ 0.5× |"
            )
            .AppendLine("|---|---:|---:|---:|---:|---|");
        foreach (var line in report.Appends)
            text.AppendLine(
                Invariant(
                    $"| {line.Workload.Name} | {line.Writers} | {line.Handler.PerSecond:N0} | {line.Bare.PerSecond:N0} | {line.Ratio:0.00}× | {(line.Ratio >= AppendComparison.Target ? "met" : "missed")} |"
                )
            );
        text.AppendLine()
            .AppendLine(
                Invariant(
                    $"| overview of a {settings.HistoryEvents:N0}-event customer | p50 ms | p95 ms | p99 ms | goal p50 < 2 ms |"
                )
            )
            .AppendLine("|---|---:|---:|---:|---|");
        foreach (var read in report.Reads)
            text.AppendLine(
                Invariant(
                    $"| {read.Query} | {read.Latency.P50:0.00} | {read.Latency.P95:0.00} | {read.Latency.P99:0.00} | {(read.Latency.P50 < ReadLatency.TargetP50Milliseconds ? "met" : "missed")} |"
                )
            );
        return text.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
