using System.Globalization;
using System.Text;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>Prints <c>ledger bench abc</c>'s figures as a table, then as Markdown for docs/abc.md.</summary>
internal static class AbcBenchReport
{
    public static void Write(AbcBenchmarkReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var table = new Table()
            .Title(
                Invariant(
                    $"GET /portfolio/abc's query, {report.Settings.Customers:N0} customers, {report.RevenueRows:N0} revenue rows"
                )
            )
            .AddColumn("asOf")
            .AddColumn(new TableColumn("customers (A / B / C)").RightAligned())
            .AddColumn(new TableColumn("portfolio p50 / p95 / p99 (ms)").RightAligned())
            .AddColumn(new TableColumn("SQL function p50 / p95 / p99 (ms)").RightAligned())
            .AddColumn(new TableColumn("baseline p50 / p95 / p99 (ms)").RightAligned())
            .AddColumn(new TableColumn("ratio p50").RightAligned());
        foreach (var row in Rows(report))
            table.AddRow(row.Select(Markup.Escape).ToArray());
        Output.Results.WriteLine();
        Output.Results.Write(table);
        BenchMarkdown.Print(Markdown(report), "docs/abc.md");
    }

    private static IEnumerable<string[]> Rows(AbcBenchmarkReport report)
    {
        foreach (var i in report.Instants)
            yield return
            [
                Invariant($"{i.AsOf.UtcDateTime:yyyy-MM-dd HH:mm}"),
                Invariant($"{i.Customers:N0} ({i.Counts.A:N0} / {i.Counts.B:N0} / {i.Counts.C:N0})"),
                Three(i.Portfolio),
                Three(i.Function),
                Three(i.Baseline),
                Invariant($"{i.Portfolio.P50 / i.Baseline.P50:0.00}×"),
            ];
        yield return
        [
            "all instants",
            "",
            Three(report.Portfolio),
            Three(report.Function),
            Three(report.Baseline),
            Invariant($"{report.Portfolio.P50 / report.Baseline.P50:0.00}×"),
        ];
    }

    private static string Markdown(AbcBenchmarkReport report)
    {
        var (settings, machine) = (report.Settings, report.Machine);
        var text = new StringBuilder()
            .AppendLine(BenchMarkdown.Heading(machine))
            .AppendLine()
            .AppendLine(
                Invariant($"- Client: {BenchMarkdown.ClientAndServer(machine)}, shared_buffers {machine.SharedBuffers}")
            )
            .AppendLine(
                Invariant(
                    $"- Data: {settings.Customers:N0} customers, {settings.Years} years, {report.RevenueRows:N0} revenue rows (COPY, vacuum, baseline copy: {report.WriteTime.TotalSeconds:N0} s); {settings.Samples} timed queries per instant after one warm-up; {BenchMarkdown.Load(machine, report.LoadAverageAtEnd)}"
                )
            )
            .AppendLine(
                Invariant(
                    $"- The mirror's first load: {report.FirstLoad.TotalSeconds:N1} s; the heap it holds: {report.HeldBytes / 1048576.0:N0} MiB"
                )
            )
            .AppendLine()
            .AppendLine(
                "| asOf | customers (A / B / C) | portfolio p50 / p95 / p99 | SQL function p50 / p95 / p99 | baseline p50 / p95 / p99 | ratio p50 |"
            )
            .AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var row in Rows(report))
            text.AppendLine($"| {string.Join(" | ", row)} |");
        return text.ToString();
    }

    private static string Three(Latency latency) =>
        Invariant($"{latency.P50:N1} / {latency.P95:N1} / {latency.P99:N1}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
