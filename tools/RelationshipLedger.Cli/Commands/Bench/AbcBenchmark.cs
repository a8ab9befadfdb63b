using System.Diagnostics;
using NpgsqlTypes;
using RelationshipLedger.Application;
using RelationshipLedger.Application.Abc;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>How <c>ledger bench abc</c> runs.</summary>
internal sealed record AbcBenchmarkSettings(int Customers, int Years, int Instants, int Samples);

/// <summary>The portfolio, the SQL function and the baseline at one instant: the answer's counts and each one's percentiles.</summary>
internal sealed record AbcInstantResult(
    DateTimeOffset AsOf,
    int Customers,
    AbcCounts Counts,
    Latency Portfolio,
    Latency Function,
    Latency Baseline
);

internal sealed record AbcBenchmarkReport(
    AbcBenchmarkSettings Settings,
    MachineInfo Machine,
    long RevenueRows,
    TimeSpan WriteTime,
    TimeSpan FirstLoad,
    long HeldBytes,
    IReadOnlyList<AbcInstantResult> Instants,
    Latency Portfolio,
    Latency Function,
    Latency Baseline,
    string? LoadAverageAtEnd
);

/// <summary>
/// <c>GET /portfolio/abc</c>'s query (<see cref="AbcPortfolioQueries"/>: the pyramids and the first page
/// of 100 from one classification in memory, after the mirror's look for new rows) at several past
/// instants — each sample a second earlier than the one before, so that no kept classification answers —
/// beside <c>ledger.abc_classes_at</c>, the same classification in SQL, and a raw baseline in the same
/// run: the same trailing-window sum per customer and its ranking over a plain table of (customer,
/// occurred_at, amount) with the same covering index — what any exact answer in the database has to read
/// and sort, without registrations, currencies or classes.
/// </summary>
internal sealed class AbcBenchmark(BenchTarget target, AbcBenchmarkSettings settings)
{
    /// <summary>The latest instant asked about; the history ends here.</summary>
    private static readonly DateTimeOffset End = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] BaselineSetup =
    [
        "create table public.bench_abc_plain as select customer_id, occurred_at, amount from ledger.abc_revenue",
        "create index on public.bench_abc_plain (occurred_at) include (customer_id, amount)",
        "vacuum analyze public.bench_abc_plain",
        """
            create function public.bench_abc_baseline(as_of timestamptz) returns table (customers bigint, top numeric)
            language sql stable set work_mem = '64MB' as $$
                select count(*), max(running) from (
                    select sum(net) over (order by net desc, customer_id) as running
                    from (select customer_id, sum(amount) as net from public.bench_abc_plain
                          where occurred_at > as_of - interval '8760 hours' and occurred_at <= as_of
                          group by customer_id) w
                ) r
            $$
            """,
    ];

    public async Task<AbcBenchmarkReport> RunAsync(CancellationToken cancellationToken)
    {
        var machine = await MachineInfo.CollectAsync(target.DataSource, target.Description, cancellationToken);
        await LedgerSchema.MigrateAsync(target.DataSource, cancellationToken);
        var start = End - TimeSpan.FromDays(365 * settings.Years);
        Output.Results.MarkupLine(
            $"Writing {settings.Customers:N0} customers with {settings.Years} years of purchases (COPY) …"
        );
        var writing = Stopwatch.StartNew();
        var rows = await AbcBenchmarkData.WriteAsync(
            target.DataSource,
            settings.Customers,
            start,
            End,
            done =>
            {
                if (done % 20_000 == 0)
                    Output.Results.MarkupLine($"  {done:N0} customers");
            },
            cancellationToken
        );
        // The projection's tables as autovacuum leaves them: statistics and the visibility map that lets
        // the window be read from the covering index alone.
        await ExecuteAsync(
            ["vacuum analyze ledger.abc_customers", "vacuum analyze ledger.abc_revenue"],
            cancellationToken
        );
        await ExecuteAsync(BaselineSetup, cancellationToken);
        writing.Stop();
        Output.Results.MarkupLine(
            $"{rows:N0} revenue rows written, vacuumed and copied to the baseline in {writing.Elapsed.TotalSeconds:N0} s."
        );

        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var mirror = new AbcRevenueMirror(target.DataSource);
        var loading = Stopwatch.StartNew();
        await mirror.ClassifyAsync(End, null, cancellationToken);
        loading.Stop();
        var held = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        Output.Results.MarkupLine(
            $"The mirror read {mirror.FactCount:N0} facts in {loading.Elapsed.TotalSeconds:N1} s and holds {held / 1048576.0:N0} MiB."
        );

        var queries = new AbcPortfolioQueries(mirror);
        var results = new List<AbcInstantResult>();
        var portfolioSamples = new List<double>();
        var functionSamples = new List<double>();
        var baselineSamples = new List<double>();
        foreach (var asOf in InstantsAsked())
        {
            AbcPortfolio? answer = null;
            var portfolio = await TimeAsync(
                async sample =>
                    answer = await queries.GetAsync(
                        asOf - TimeSpan.FromSeconds(sample),
                        null,
                        null,
                        100,
                        null,
                        cancellationToken
                    ),
                portfolioSamples
            );
            var function = await TimeAsync(_ => FunctionAsync(asOf, cancellationToken), functionSamples);
            var baseline = await TimeAsync(_ => BaselineAsync(asOf, cancellationToken), baselineSamples);
            results.Add(new AbcInstantResult(asOf, answer!.Customers, answer.Counts, portfolio, function, baseline));
            Output.Results.MarkupLine(
                $"  asOf {asOf:yyyy-MM-dd HH:mm}: portfolio p50 {portfolio.P50:N1} ms, function p50 {function.P50:N1} ms, baseline p50 {baseline.P50:N1} ms"
            );
        }
        return new AbcBenchmarkReport(
            settings,
            machine,
            rows,
            writing.Elapsed,
            loading.Elapsed,
            held,
            results,
            LatencyOf(portfolioSamples),
            LatencyOf(functionSamples),
            LatencyOf(baselineSamples),
            MachineInfo.ReadLoadAverage()
        );
    }

    /// <summary>Instants spread over the history's last years (each with a full trailing year before it), off the hour.</summary>
    private IEnumerable<DateTimeOffset> InstantsAsked()
    {
        var span = TimeSpan.FromDays(365 * (settings.Years - 1));
        for (var i = 0; i < settings.Instants; i++)
            yield return End - span * i / settings.Instants - TimeSpan.FromMinutes(37 * i);
    }

    /// <summary>One warm-up, then the samples (numbered from 1), one call at a time; each duration is also added to <paramref name="all"/>.</summary>
    private async Task<Latency> TimeAsync(Func<int, Task> call, List<double> all)
    {
        await call(0);
        var samples = new List<double>(settings.Samples);
        for (var i = 1; i <= settings.Samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await call(i);
            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        all.AddRange(samples);
        return LatencyOf(samples);
    }

    /// <summary>Nearest-rank percentiles, as <see cref="Latency"/> computes them.</summary>
    private static Latency LatencyOf(List<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        double At(double fraction) =>
            sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Latency(sorted.Length, At(0.50), At(0.95), At(0.99));
    }

    private Task BaselineAsync(DateTimeOffset asOf, CancellationToken cancellationToken) =>
        ReadAllAsync("select * from public.bench_abc_baseline($1)", asOf, cancellationToken);

    /// <summary>The classification the portfolio asked the database for before it classified in memory.</summary>
    private Task FunctionAsync(DateTimeOffset asOf, CancellationToken cancellationToken) =>
        ReadAllAsync("select count(*) from ledger.abc_classes_at($1) group by abc_class", asOf, cancellationToken);

    private async Task ReadAllAsync(string sql, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        await using var command = target.DataSource.CreateCommand(sql);
        command.Parameters.Add(new() { Value = asOf.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            _ = reader.GetInt64(0);
    }

    /// <summary>Each statement on its own (VACUUM refuses to run in a batch).</summary>
    private async Task ExecuteAsync(IEnumerable<string> statements, CancellationToken cancellationToken)
    {
        await using var connection = await target.DataSource.OpenConnectionAsync(cancellationToken);
        foreach (var statement in statements)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = statement;
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
