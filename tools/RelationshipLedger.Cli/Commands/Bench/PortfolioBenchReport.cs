using System.Globalization;
using System.Text;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>Prints <c>ledger bench portfolio</c>'s figures as a table, then as Markdown for docs/benchmarks.md.</summary>
internal static class PortfolioBenchReport
{
    public static void Write(PortfolioBenchmarkReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var table = new Table()
            .Title(
                Invariant(
                    $"Portfolio pages of 50 over {report.Settings.Customers:N0} customers ({report.Periods:N0} periods)"
                )
            )
            .AddColumn("question")
            .AddColumn("as of")
            .AddColumn("page")
            .AddColumn(new TableColumn("matching").RightAligned())
            .AddColumn(new TableColumn("p50 / p95 / p99 ms").RightAligned())
            .AddColumn(new TableColumn("baseline p50 / p95 / p99 ms").RightAligned())
            .AddColumn(new TableColumn("p50 ratio").RightAligned());
        foreach (var t in report.Timings)
            table.AddRow(
                Markup.Escape(t.Question),
                Markup.Escape(t.Instant),
                Markup.Escape(t.Page),
                Invariant($"{t.Matching:N0}"),
                Invariant($"{t.Portfolio.P50:0.00} / {t.Portfolio.P95:0.00} / {t.Portfolio.P99:0.00}"),
                Invariant($"{t.Baseline.P50:0.00} / {t.Baseline.P95:0.00} / {t.Baseline.P99:0.00}"),
                Invariant($"{t.Ratio:0.0}×")
            );
        Output.Results.WriteLine();
        Output.Results.Write(table);
        BenchMarkdown.Print(Markdown(report));
    }

    private static string Markdown(PortfolioBenchmarkReport report)
    {
        var (settings, machine) = (report.Settings, report.Machine);
        var text = new StringBuilder()
            .AppendLine(BenchMarkdown.Heading(machine))
            .AppendLine()
            .AppendLine(
                Invariant(
                    $"- Client: {BenchMarkdown.ClientAndServer(machine)}; {BenchMarkdown.Load(machine, report.LoadAverageAtEnd)}"
                )
            )
            .AppendLine(Filling(report))
            .AppendLine(
                Invariant(
                    $"- {settings.Samples} timed pages per row and per side, after {Math.Max(1, settings.Samples / 10)} warm-up pages; baseline: the same page from a plain table of the accounts as of that instant"
                )
            )
            .AppendLine(Goal(report))
            .AppendLine()
            .AppendLine(
                "| question | as of | page | matching | p50 / p95 / p99 ms | baseline p50 / p95 / p99 ms | p50 ratio |"
            )
            .AppendLine("|---|---|---|---:|---:|---:|---:|");
        foreach (var t in report.Timings)
            text.AppendLine(
                Invariant(
                    $"| {t.Question} | {t.Instant} | {t.Page} | {t.Matching:N0} | {t.Portfolio.P50:0.00} / {t.Portfolio.P95:0.00} / {t.Portfolio.P99:0.00} | {t.Baseline.P50:0.00} / {t.Baseline.P95:0.00} / {t.Baseline.P99:0.00} | {t.Ratio:0.0}× |"
                )
            );
        return text.ToString();
    }

    /// <summary>The goal (p50 under 50 ms), held to the slowest row's p50.</summary>
    private static string Goal(PortfolioBenchmarkReport report)
    {
        var slowest = report.Timings.MaxBy(t => t.Portfolio.P50);
        if (slowest is null)
            return "- No timings.";
        var verdict = slowest.Portfolio.P50 < 50 ? "met" : "missed";
        return Invariant(
            $"- Goal p50 under 50 ms: {verdict} — slowest row's p50 {slowest.Portfolio.P50:0.00} ms ({slowest.Question}, as of {slowest.Instant}, {slowest.Page} page)"
        );
    }

    private static string Filling(PortfolioBenchmarkReport report)
    {
        var settings = report.Settings;
        if (report.CatchUp is not { } catchUp)
            return Invariant(
                $"- State history: {settings.Customers:N0} seeded histories folded in memory, {report.Seeding.Count:N0} periods cut by the projection's code and written with COPY ({settings.Writers} writers), indexes rebuilt after: {report.Seeding.Elapsed.TotalSeconds:N0} s"
            );
        return Invariant(
            $"- Seeding: {settings.Customers:N0} customers, {report.Seeding.Count:N0} events in {report.Seeding.Elapsed.TotalSeconds:N0} s ({report.Seeding.PerSecond:N0} events/s, {settings.Writers} writers, one append per customer); state history built by the daemon: {catchUp.Count:N0} events applied in {catchUp.Elapsed.TotalSeconds:N0} s ({catchUp.PerSecond:N0} events/s), {report.Periods:N0} periods"
        );
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
