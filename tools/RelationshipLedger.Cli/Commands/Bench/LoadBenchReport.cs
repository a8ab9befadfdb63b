using System.Globalization;
using System.Text;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>Prints <c>ledger bench load</c>'s figures as a table, then as Markdown for docs/benchmarks.md.</summary>
internal static class LoadBenchReport
{
    /// <summary>Memory is flat when the last quarter's average is within this factor of the first quarter's.</summary>
    public const double FlatFactor = 1.5;
    public const double AppendRatioGoal = 0.5;
    public const double P99GoalMilliseconds = 50;

    public static void Write(LoadBenchmarkReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var table = new Table()
            .Title("HTTP load against the API process")
            .AddColumn("Kind")
            .AddColumn(new TableColumn("Requests").RightAligned())
            .AddColumn(new TableColumn("Failed").RightAligned())
            .AddColumn(new TableColumn("per s").RightAligned())
            .AddColumn(new TableColumn("p50 ms").RightAligned())
            .AddColumn(new TableColumn("p95 ms").RightAligned())
            .AddColumn(new TableColumn("p99 ms").RightAligned());
        foreach (var kind in report.Kinds)
            table.AddRow(
                kind.Kind.ToString(),
                Invariant($"{kind.Requests:N0}"),
                Invariant($"{kind.Failures:N0}"),
                Invariant($"{kind.PerSecond:N0}"),
                Invariant($"{kind.P50:0.0}"),
                Invariant($"{kind.P95:0.0}"),
                Invariant($"{kind.P99:0.0}")
            );
        Output.Results.WriteLine();
        Output.Results.Write(table);
        foreach (var kind in report.Kinds.Where(k => k.FirstFailure is not null))
            Output.Results.MarkupLine($"[yellow]First failure of {kind.Kind}:[/] {Markup.Escape(kind.FirstFailure!)}");
        foreach (var line in Summary(report))
            Output.Results.MarkupLine(Markup.Escape(line));
        BenchMarkdown.Print(Markdown(report));
    }

    private static IEnumerable<string> Summary(LoadBenchmarkReport report)
    {
        var append = report.Kinds.Single(k => k.Kind == LoadKind.Append);
        var ratio = append.PerSecond / report.StoreAppends.PerSecond;
        var worstP99 = report.Kinds.Where(k => k.Requests > 0).Select(k => k.P99).DefaultIfEmpty(0).Max();
        var (rssFirst, rssLast) = Quarters(report.Memory, s => s.WorkingSetBytes);
        var (heapFirst, heapLast) = Quarters(report.Memory, s => s.GcHeapBytes);
        yield return Invariant(
            $"HTTP appends {append.PerSecond:N0}/s vs store level {report.StoreAppends.PerSecond:N0}/s: {ratio:0.00}× (goal ≥ {AppendRatioGoal:0.0}×: {Met(ratio >= AppendRatioGoal)})"
        );
        if (report.StoreAppendsWithReaders is { } withReaders)
            yield return Invariant(
                $"Under the same mix without HTTP (the readers in process too), store level {withReaders.PerSecond:N0}/s: HTTP appends {append.PerSecond / withReaders.PerSecond:0.00}× that"
            );
        yield return Invariant(
            $"Worst p99 {worstP99:0.0} ms (goal < {P99GoalMilliseconds:0} ms: {Met(worstP99 < P99GoalMilliseconds)})"
        );
        var flat = rssLast <= rssFirst * FlatFactor && heapLast <= heapFirst * FlatFactor;
        yield return Invariant(
            $"API memory, first → last quarter average: RSS {Mib(rssFirst)} → {Mib(rssLast)} MiB ({rssLast / rssFirst:0.00}×), GC heap {Mib(heapFirst)} → {Mib(heapLast)} MiB ({heapLast / heapFirst:0.00}×); flat (≤ {FlatFactor:0.0}×): {Met(flat)}"
        );
        var live = report.LiveHeap;
        var liveRatio = (double)live.AtEndBytes / live.AfterWarmupBytes;
        yield return Invariant(
            $"API live heap after a full collection (GET /admin/process?fullCollection=true), after the warm-up → at the end: {Mib(live.AfterWarmupBytes)} → {Mib(live.AtEndBytes)} MiB ({liveRatio:0.00}×; ≤ {FlatFactor:0.0}×: {Met(liveRatio <= FlatFactor)})"
        );
    }

    private static string Markdown(LoadBenchmarkReport report)
    {
        var (settings, machine) = (report.Settings, report.Machine);
        var text = new StringBuilder()
            .AppendLine(BenchMarkdown.Heading(machine))
            .AppendLine()
            .AppendLine(
                Invariant(
                    $"- Client and API on one machine: {BenchMarkdown.ClientAndServer(machine)}, fsync {machine.Fsync}, synchronous_commit {machine.SynchronousCommit}"
                )
            )
            .AppendLine(
                Invariant(
                    $"- Run: {settings.Writers} writers (purchases with Idempotency-Key over {settings.CustomersPerWriter} customers each) and {settings.Readers} readers (overview, time travel with asOf and knownAt, feed pages of {LoadTraffic.FeedPageSize}) in closed loops, {settings.Warmup.TotalSeconds:0} s warm-up then {settings.Duration.TotalSeconds:0} s measured; rate limiting off; {report.EventsAtEnd:N0} events in the log at the end; {BenchMarkdown.Load(machine, report.LoadAverageAtEnd)}"
                )
            )
            .AppendLine()
            .AppendLine("| kind | requests | failed | per second | p50 ms | p95 ms | p99 ms |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var kind in report.Kinds)
            text.AppendLine(
                Invariant(
                    $"| {kind.Kind} | {kind.Requests:N0} | {kind.Failures:N0} | {kind.PerSecond:N0} | {kind.P50:0.0} | {kind.P95:0.0} | {kind.P99:0.0} |"
                )
            );
        text.AppendLine();
        foreach (var line in Summary(report))
            text.AppendLine("- " + line);
        text.AppendLine(
            "- API memory over the run (RSS / GC heap after the last collection, MiB; in brackets the events the cached heads fold / the state history's kept states fold): "
                + Timeline(report.Memory)
        );
        text.AppendLine(
            Invariant(
                $"- Store level: {settings.StorePhase.TotalSeconds:0} s of the same purchases through the command handler in the CLI's process (no HTTP, no idempotency record), {settings.Writers} writers, after the API had stopped: {report.StoreAppends.PerSecond:N0}/s"
            )
        );
        if (report.StoreAppendsWithReaders is { } withReaders)
            text.AppendLine(
                Invariant(
                    $"- Store level under the same mix: {settings.StorePhase.TotalSeconds:0} s of those purchases on customers of their own with {settings.Readers} readers beside them in the same process (overviews, time travel, feed pages, as the HTTP readers ask, paced to at most the HTTP run's read rate; no HTTP, no JSON): {withReaders.PerSecond:N0}/s"
                )
            );
        return text.ToString();
    }

    private static (double First, double Last) Quarters(
        IReadOnlyList<MemorySample> samples,
        Func<MemorySample, long> value
    )
    {
        if (samples.Count == 0)
            return (0, 0);
        var quarter = Math.Max(1, samples.Count / 4);
        return (samples.Take(quarter).Average(s => value(s)), samples.TakeLast(quarter).Average(s => value(s)));
    }

    /// <summary>About ten samples spread over the run, each as "at s: RSS / heap (events in the state cache)".</summary>
    private static string Timeline(IReadOnlyList<MemorySample> samples)
    {
        var step = Math.Max(1, samples.Count / 10);
        return string.Join(
            ", ",
            samples
                .Where((_, index) => index % step == 0 || index == samples.Count - 1)
                .Select(s =>
                    Invariant(
                        $"{s.AtSeconds:0} s {Mib(s.WorkingSetBytes)} / {Mib(s.GcHeapBytes)} ({s.StateCacheEvents / 1000.0:0}k / {s.StateHistoryKeptEvents / 1000.0:0}k)"
                    )
                )
        );
    }

    private static string Mib(double bytes) => Invariant($"{bytes / (1024 * 1024):0}");

    private static string Met(bool met) => met ? "met" : "missed";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
