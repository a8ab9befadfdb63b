using System.Globalization;
using System.Text;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>Prints a run's figures as a table, then as a Markdown block that can be pasted into docs/benchmarks.md.</summary>
internal static class BenchReport
{
    public static void Write(StoreBenchmarkReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var table = new Table()
            .Title("Event store vs raw PostgreSQL (events or rows per second)")
            .AddColumn("Phase")
            .AddColumn(new TableColumn("Writers").RightAligned())
            .AddColumn(new TableColumn("Store").RightAligned())
            .AddColumn("Baseline")
            .AddColumn(new TableColumn("Baseline rate").RightAligned())
            .AddColumn(new TableColumn("Ratio").RightAligned())
            .AddColumn(new TableColumn("Target").RightAligned())
            .AddColumn("Result");
        foreach (var line in report.Comparisons)
            table.AddRow(
                Markup.Escape(line.Phase),
                Invariant($"{line.Writers}"),
                Rate(line.StoreRate),
                Markup.Escape(line.Baseline),
                Rate(line.BaselineRate),
                Ratio(line.Ratio),
                Target(line.Target),
                line.Met switch
                {
                    true => "[green]met[/]",
                    false => "[red]missed[/]",
                    null => "[grey]context[/]",
                }
            );
        Output.Results.WriteLine();
        Output.Results.Write(table);
        BenchMarkdown.Print(Markdown(report));
    }

    public static string Markdown(StoreBenchmarkReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
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
                    $"- Load average (1, 5, 15 min): {machine.LoadAverage ?? "unknown"} at the start, {MachineInfo.ReadLoadAverage() ?? "unknown"} at the end"
                )
            )
            .AppendLine(Invariant($"- Server: {machine.ServerVersion}"))
            .AppendLine(
                Invariant($"- Server settings: fsync {machine.Fsync}, synchronous_commit {machine.SynchronousCommit}, ")
                    + Invariant($"full_page_writes {machine.FullPageWrites}, shared_buffers {machine.SharedBuffers}")
            )
            .AppendLine(
                Invariant(
                    $"- Run: per phase {settings.Warmup.TotalSeconds:0} s warm-up, then {settings.Duration.TotalSeconds:0} s measured for the store and as many for the baseline "
                )
                    + Invariant($"in {settings.Rounds} alternating rounds; ")
                    + Invariant($"payload ≈ {settings.PayloadBytes} bytes, batches of {settings.BatchSize}, ")
                    + Invariant(
                        $"store read pages of {settings.ReadPageSize}, {report.LogEvents:N0} events in the log when read"
                    )
            )
            .AppendLine()
            .AppendLine(
                "| Phase | Writers | Store (events/s) | Baseline | Baseline (rows/s) | Ratio | Target | Result |"
            )
            .AppendLine("|---|---:|---:|---|---:|---:|---:|---|");
        foreach (var line in report.Comparisons)
        {
            var result = line.Met switch
            {
                true => "met",
                false => "**missed**",
                null => "context",
            };
            text.AppendLine(
                Invariant(
                    $"| {line.Phase} | {line.Writers} | {Rate(line.StoreRate)} | {line.Baseline} | {Rate(line.BaselineRate)} | "
                ) + Invariant($"{Ratio(line.Ratio)} | {Target(line.Target)} | {result} |")
            );
        }
        return text.ToString();
    }

    private static string Rate(double? perSecond) => perSecond is { } rate ? Invariant($"{rate:N0}") : "—";

    private static string Ratio(double? ratio) => ratio is { } value ? Invariant($"{value:0.00}×") : "—";

    private static string Target(double? target) => target is { } value ? Invariant($"≥ {value:0.0}×") : "—";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
