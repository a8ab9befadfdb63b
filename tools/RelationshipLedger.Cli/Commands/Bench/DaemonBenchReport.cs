using System.Globalization;
using System.Text;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>Prints <c>ledger bench daemon</c>'s figures as a table, then as Markdown for docs/benchmarks.md.</summary>
internal static class DaemonBenchReport
{
    public static void Write(DaemonBenchmarkReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var table = new Table()
            .Title(
                Invariant(
                    $"Projection lag while appending {report.Appends.PerSecond:N0} events/s ({report.Samples} samples)"
                )
            )
            .AddColumn("Projection")
            .AddColumn(new TableColumn("lag events p50 / p95 / max").RightAligned())
            .AddColumn(new TableColumn("lag seconds p50 / p95 / max").RightAligned())
            .AddColumn(new TableColumn("caught up after stop (s)").RightAligned());
        foreach (var lag in report.Projections)
            table.AddRow(
                Markup.Escape(lag.Projection),
                Invariant($"{lag.LagEvents.P50:N0} / {lag.LagEvents.P95:N0} / {lag.LagEvents.Max:N0}"),
                Invariant($"{lag.LagSeconds.P50:0.00} / {lag.LagSeconds.P95:0.00} / {lag.LagSeconds.Max:0.00}"),
                Invariant($"{lag.CatchUp.TotalSeconds:0.00}")
            );
        Output.Results.WriteLine();
        Output.Results.Write(table);
        BenchMarkdown.Print(Markdown(report));
    }

    private static string Markdown(DaemonBenchmarkReport report)
    {
        var (settings, machine) = (report.Settings, report.Machine);
        var text = new StringBuilder()
            .AppendLine(BenchMarkdown.Heading(machine))
            .AppendLine()
            .AppendLine(Invariant($"- Client: {BenchMarkdown.ClientAndServer(machine)}"))
            .AppendLine(
                Invariant(
                    $"- Run: {settings.Writers} writers × {settings.CustomersPerWriter} customers for {settings.Duration.TotalSeconds:0} s: {report.Appends.PerSecond:N0} commands/s; lag sampled every 250 ms ({report.Samples} samples); {BenchMarkdown.Load(machine, report.LoadAverageAtEnd)}"
                )
            )
            .AppendLine()
            .AppendLine(
                "| projection | lag events p50 / p95 / max | lag seconds p50 / p95 / max | caught up after the writers stopped |"
            )
            .AppendLine("|---|---:|---:|---:|");
        foreach (var lag in report.Projections)
            text.AppendLine(
                Invariant(
                    $"| {lag.Projection} | {lag.LagEvents.P50:N0} / {lag.LagEvents.P95:N0} / {lag.LagEvents.Max:N0} | {lag.LagSeconds.P50:0.00} / {lag.LagSeconds.P95:0.00} / {lag.LagSeconds.Max:0.00} | {lag.CatchUp.TotalSeconds:0.00} s |"
                )
            );
        return text.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
