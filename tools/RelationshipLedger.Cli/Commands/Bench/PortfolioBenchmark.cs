using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.Application;
using RelationshipLedger.Application.Abc;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Customers.Caching;
using RelationshipLedger.Application.Seeding;
using RelationshipLedger.Application.StateHistory;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.EventStore.Daemon;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>How <c>ledger bench portfolio</c> fills the state history.</summary>
internal enum PortfolioSeeding
{
    /// <summary>Periods computed in memory by the projection's own code and written with COPY (fast).</summary>
    Rows,

    /// <summary>Events appended through the store, then the projection daemon builds the periods (slow, end to end).</summary>
    Events,
}

/// <summary>How <c>ledger bench portfolio</c> runs.</summary>
internal sealed record PortfolioBenchmarkSettings(
    string? Connection,
    bool Fsync,
    int Customers,
    int Samples,
    int Writers,
    PortfolioSeeding Seeding
);

/// <summary>One timed question: the read model's page as of an instant beside the same page from a plain snapshot table.</summary>
internal sealed record PortfolioTiming(
    string Question,
    string Instant,
    string Page,
    int Matching,
    Latency Portfolio,
    Latency Baseline
)
{
    public double Ratio => Baseline.P50 > 0 ? Portfolio.P50 / Baseline.P50 : 0;
}

internal sealed record PortfolioBenchmarkReport(
    PortfolioBenchmarkSettings Settings,
    MachineInfo Machine,
    Throughput Seeding,
    Throughput? CatchUp,
    long Periods,
    IReadOnlyList<PortfolioTiming> Timings,
    string? LoadAverageAtEnd
);

/// <summary>
/// Fills the state history for the seeded customers (<see cref="PortfolioSeeding"/>), then times
/// <see cref="PortfolioQueries.GetPageAsync"/> — the first page of 50 and the page after a random
/// customer — for several questions as of several past instants. The baseline, timed in the same run,
/// is the same page from a plain table holding exactly the rows the question is about: the accounts as
/// they were at that instant, one row per customer, primary key on the id and an (owner, id) index — what
/// the query costs when nobody has to find the period that contains the instant.
/// </summary>
internal sealed class PortfolioBenchmark(BenchTarget target, PortfolioBenchmarkSettings settings)
{
    private static readonly TimeSpan CatchUpDeadline = TimeSpan.FromHours(2);
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public async Task<PortfolioBenchmarkReport> RunAsync(CancellationToken cancellationToken)
    {
        await LedgerSchema.MigrateAsync(target.DataSource, cancellationToken);
        var machine = await MachineInfo.CollectAsync(target.DataSource, target.Description, cancellationToken);
        var rules = LifecycleRules.Default;
        var cache = new CustomerStateCache();
        var store = LedgerServices.CreateStore(target.DataSource, rules, cache);

        var (seeding, catchUp) = await FillAsync(store, rules, cancellationToken);
        var periods = await AnalyzeAsync(cancellationToken);
        Output.Results.MarkupLine($"{periods:N0} periods; timing the queries…");

        var queries = new PortfolioQueries(target.DataSource, new CustomerStateLoader(store, cache));
        var timings = new List<PortfolioTiming>();
        foreach (var (label, instant, table) in await SnapshotsAsync(cancellationToken))
        foreach (var question in PortfolioQuestion.All)
        {
            var matching = await CountAsync(question, table, cancellationToken);
            timings.Add(
                await TimeAsync(queries, question, label, instant, table, matching, firstPage: true, cancellationToken)
            );
            timings.Add(
                await TimeAsync(queries, question, label, instant, table, matching, firstPage: false, cancellationToken)
            );
        }
        return new PortfolioBenchmarkReport(
            settings,
            machine,
            seeding,
            catchUp,
            periods,
            timings,
            MachineInfo.ReadLoadAverage()
        );
    }

    private static IEnumerable<(string Label, DateTimeOffset Instant)> Instants() =>
        [
            ("now − 3 years", Now.AddDays(-3 * 365)),
            ("now − 1 year", Now.AddDays(-365)),
            ("now − 30 days", Now.AddDays(-30)),
        ];

    private async Task<(Throughput Seeding, Throughput? CatchUp)> FillAsync(
        EventStore.EventStore store,
        LifecycleRules rules,
        CancellationToken cancellationToken
    )
    {
        var options = new SeedOptions(settings.Customers, Seed: 42, Now);
        var reported = 0;
        var progress = new Progress<int>(index =>
        {
            if ((index + 1) % 10_000 == 0 && Interlocked.Exchange(ref reported, index + 1) != index + 1)
                Output.Results.MarkupLine($"  {index + 1:N0} customers");
        });
        if (settings.Seeding == PortfolioSeeding.Rows)
        {
            Output.Results.MarkupLine(
                $"Computing and copying the periods of {settings.Customers:N0} customers with {settings.Writers} writer(s)…"
            );
            var copied = await PortfolioPeriodCopier.CopyAsync(
                target.DataSource,
                options,
                rules,
                settings.Writers,
                progress,
                cancellationToken
            );
            Output.Results.MarkupLine($"Copied {copied.Count:N0} periods in {copied.Elapsed.TotalSeconds:N0} s");
            return (copied, null);
        }
        Output.Results.MarkupLine($"Seeding {settings.Customers:N0} customers with {settings.Writers} writer(s)…");
        var seeding = await PortfolioSeeder.SeedAsync(store, options, settings.Writers, progress, cancellationToken);
        Output.Results.MarkupLine(
            $"Seeded {seeding.Count:N0} events in {seeding.Elapsed.TotalSeconds:N0} s; building the state history…"
        );
        return (seeding, await CatchUpAsync(store, rules, cancellationToken));
    }

    /// <summary>Runs the daemon with the state history and the ABC read model until both have applied every event; the rate.</summary>
    private async Task<Throughput> CatchUpAsync(
        EventStore.EventStore store,
        LifecycleRules rules,
        CancellationToken cancellationToken
    )
    {
        using var stopDaemon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var daemon = new ProjectionDaemon(
            store,
            [new StateHistoryProjection(store.Serializer, rules), new AbcRevenueProjection(store.Serializer)],
            new ProjectionDaemonOptions { BatchSize = 2000 },
            NullLoggerFactory.Instance
        );
        var started = Stopwatch.GetTimestamp();
        var running = daemon.RunAsync(stopDaemon.Token);
        var operations = new ProjectionOperations(target.DataSource);
        try
        {
            while (true)
            {
                var periods = await CaughtUpAsync(operations, StateHistoryProjection.ProjectionName, cancellationToken);
                var abc = await CaughtUpAsync(operations, AbcRevenueProjection.ProjectionName, cancellationToken);
                if (periods is { } applied && abc is not null)
                    return new Throughput(applied, Stopwatch.GetElapsedTime(started));
                if (Stopwatch.GetElapsedTime(started) > CatchUpDeadline)
                    throw new TimeoutException("The read models did not catch up within two hours.");
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }
        finally
        {
            await stopDaemon.CancelAsync();
            await running;
        }
    }

    /// <summary>The events the projection applied once it has caught up; null before.</summary>
    private static async Task<long?> CaughtUpAsync(
        ProjectionOperations operations,
        string projection,
        CancellationToken cancellationToken
    )
    {
        var status = await operations.GetAsync(projection, cancellationToken);
        if (status?.State == ProjectionState.Paused)
            throw new InvalidOperationException($"{projection} paused: {status.LastError}");
        return status is { LagEvents: 0, EventsApplied: > 0 } ? status.EventsApplied : null;
    }

    /// <summary>
    /// Fresh planner statistics and visibility maps for the state history and the ABC read model (what
    /// autovacuum keeps on a live table after a bulk load); the number of periods.
    /// </summary>
    private async Task<long> AnalyzeAsync(CancellationToken cancellationToken)
    {
        foreach (var table in new[] { "state_periods", "abc_customers", "abc_revenue" })
        {
            await using var vacuum = target.DataSource.CreateCommand($"vacuum analyze ledger.{table}");
            vacuum.CommandTimeout = 0;
            await vacuum.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var count = target.DataSource.CreateCommand("select count(*) from ledger.state_periods");
        return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// For each instant, the baseline's plain table: every account as it was then (the period containing
    /// the instant, copied out once, with its ABC class then), primary key on the customer id, an index on
    /// (owner, id), analyzed.
    /// </summary>
    private async Task<IReadOnlyList<(string Label, DateTimeOffset Instant, string Table)>> SnapshotsAsync(
        CancellationToken cancellationToken
    )
    {
        var snapshots = new List<(string, DateTimeOffset, string)>();
        foreach (var (label, instant) in Instants())
        {
            var table = $"ledger.bench_snapshot_{snapshots.Count + 1}";
            await using var batch = target.DataSource.CreateBatch();
            var create = new NpgsqlBatchCommand(
                $"create table {table} as select p.customer_id, name, tier, stage, owner_id, "
                    + "lower(valid_during) as since, tier_since, stage_since, owner_since, a.abc_class "
                    + "from ledger.state_periods p left join ledger.abc_classes_at($1) a using (customer_id) "
                    + "where valid_during @> $1"
            );
            create.Parameters.Add(new() { Value = instant.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            batch.BatchCommands.Add(create);
            batch.BatchCommands.Add(new($"alter table {table} add primary key (customer_id)"));
            batch.BatchCommands.Add(new($"create index on {table} (owner_id, customer_id)"));
            batch.BatchCommands.Add(new($"analyze {table}"));
            await batch.ExecuteNonQueryAsync(cancellationToken);
            snapshots.Add((label, instant, table));
        }
        return snapshots;
    }

    private async Task<int> CountAsync(PortfolioQuestion question, string table, CancellationToken cancellationToken)
    {
        await using var command = question.CountCommand(target.DataSource, table);
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<PortfolioTiming> TimeAsync(
        PortfolioQueries queries,
        PortfolioQuestion question,
        string label,
        DateTimeOffset instant,
        string table,
        int matching,
        bool firstPage,
        CancellationToken cancellationToken
    )
    {
        var random = new Random(7);
        string? Cursor() => firstPage ? null : SeedHistories.CustomerIdOf(random.Next(settings.Customers));
        var warmup = Math.Max(1, settings.Samples / 10);
        // Each sample asks a microsecond earlier than the one before: no classification kept for the pages
        // of one question answers the next (the abc filter classifies anew every time).
        var asked = instant;
        var portfolio = await Latency.MeasureAsync(
            () =>
            {
                asked -= TimeSpan.FromTicks(10);
                return queries.GetPageAsync(question.ToQuery(asked, Cursor()), cancellationToken);
            },
            warmup,
            settings.Samples
        );
        random = new Random(7);
        var baseline = await Latency.MeasureAsync(
            async () =>
            {
                await using var command = question.BaselineCommand(target.DataSource, table, Cursor());
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken)) { }
            },
            warmup,
            settings.Samples
        );
        var page = firstPage ? "first" : "after a random id";
        Output.Results.MarkupLine(
            $"  {Markup.Escape(question.Label)} as of {label}, {page} page: p50 {portfolio.P50:0.00} ms (baseline {baseline.P50:0.00} ms), {matching:N0} matching"
        );
        return new PortfolioTiming(question.Label, label, page, matching, portfolio, baseline);
    }
}
