using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.Application;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Customers.Caching;
using RelationshipLedger.Application.Seeding;
using RelationshipLedger.Application.StateHistory;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.EventStore.Daemon;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>How <c>ledger bench portfolio</c> runs.</summary>
internal sealed record PortfolioBenchmarkSettings(
    string? Connection,
    bool Fsync,
    int Customers,
    int Samples,
    int Writers
);

/// <summary>One timed question: the read model's page as of an instant beside the baseline's page of the current rows.</summary>
internal sealed record PortfolioTiming(
    string Question,
    string Instant,
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
    Throughput CatchUp,
    long Periods,
    IReadOnlyList<PortfolioTiming> Timings,
    string? LoadAverageAtEnd
);

/// <summary>
/// Seeds the customers, lets the projection daemon build the state history (timed: the projection's
/// catch-up rate), then times <see cref="PortfolioQueries.GetPageAsync"/> — a page of 50 from a random
/// cursor — as of several past instants, beside the same page from <c>bench_current_periods</c>, a
/// plain table holding each customer's current row with a primary key on its id (the raw PostgreSQL
/// baseline: what the query would cost without time travel).
/// </summary>
internal sealed class PortfolioBenchmark(BenchTarget target, PortfolioBenchmarkSettings settings)
{
    private const int PageSize = 50;
    private const string Owner = "owner-chen";
    private static readonly TimeSpan CatchUpDeadline = TimeSpan.FromHours(2);
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public async Task<PortfolioBenchmarkReport> RunAsync(CancellationToken cancellationToken)
    {
        await LedgerSchema.MigrateAsync(target.DataSource, cancellationToken);
        var machine = await MachineInfo.CollectAsync(target.DataSource, target.Description, cancellationToken);
        var rules = LifecycleRules.Default;
        var cache = new CustomerStateCache();
        var store = LedgerServices.CreateStore(target.DataSource, rules, cache);

        Output.Results.MarkupLine($"Seeding {settings.Customers:N0} customers with {settings.Writers} writer(s)…");
        var reported = 0;
        var progress = new Progress<int>(index =>
        {
            if ((index + 1) % 10_000 == 0 && Interlocked.Exchange(ref reported, index + 1) != index + 1)
                Output.Results.MarkupLine($"  {index + 1:N0} customers");
        });
        var seeding = await PortfolioSeeder.SeedAsync(
            store,
            new SeedOptions(settings.Customers, Seed: 42, Now),
            settings.Writers,
            progress,
            cancellationToken
        );
        Output.Results.MarkupLine(
            $"Seeded {seeding.Count:N0} events in {seeding.Elapsed.TotalSeconds:N0} s; building the state history…"
        );
        var catchUp = await CatchUpAsync(store, rules, cancellationToken);
        var periods = await PrepareBaselineAsync(cancellationToken);
        Output.Results.MarkupLine($"{periods:N0} periods in {catchUp.Elapsed.TotalSeconds:N0} s; timing the queries…");

        var queries = new PortfolioQueries(target.DataSource, new CustomerStateLoader(store, cache));
        var timings = new List<PortfolioTiming>();
        foreach (var (label, instant) in Instants())
        {
            timings.Add(
                await TimeAsync(
                    "tier=Transactional&stage=Growth",
                    label,
                    after => new PortfolioQuery(
                        instant,
                        RelationshipTier.Transactional,
                        LifecycleStage.Growth,
                        After: after
                    ),
                    queries,
                    "tier = 'Transactional' and stage = 'Growth'",
                    cancellationToken
                )
            );
            timings.Add(
                await TimeAsync(
                    "stage=Decline",
                    label,
                    after => new PortfolioQuery(instant, Stage: LifecycleStage.Decline, After: after),
                    queries,
                    "stage = 'Decline'",
                    cancellationToken
                )
            );
            timings.Add(
                await TimeAsync(
                    $"owner {Owner}",
                    label,
                    after => new PortfolioQuery(instant, Owner: Owner, After: after),
                    queries,
                    $"owner_id = '{Owner}'",
                    cancellationToken
                )
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

    /// <summary>Runs the daemon with the state history alone until it has applied every event; its rate.</summary>
    private async Task<Throughput> CatchUpAsync(
        EventStore.EventStore store,
        LifecycleRules rules,
        CancellationToken cancellationToken
    )
    {
        using var stopDaemon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var daemon = new ProjectionDaemon(
            store,
            [new StateHistoryProjection(store.Serializer, rules)],
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
                var status = await operations.GetAsync(StateHistoryProjection.ProjectionName, cancellationToken);
                if (status is { LagEvents: 0, EventsApplied: > 0 })
                    return new Throughput(status.EventsApplied, Stopwatch.GetElapsedTime(started));
                if (status?.State == ProjectionState.Paused)
                    throw new InvalidOperationException($"The state history paused: {status.LastError}");
                if (Stopwatch.GetElapsedTime(started) > CatchUpDeadline)
                    throw new TimeoutException("The state history did not catch up within two hours.");
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }
        finally
        {
            await stopDaemon.CancelAsync();
            await running;
        }
    }

    /// <summary>The baseline's plain table of current rows, and statistics for both; the number of periods.</summary>
    private async Task<long> PrepareBaselineAsync(CancellationToken cancellationToken)
    {
        await using var batch = target.DataSource.CreateBatch();
        batch.BatchCommands.Add(
            new(
                "create table ledger.bench_current_periods as select customer_id, name, tier, stage, owner_id, "
                    + "lower(valid_during) as since from ledger.state_periods where upper_inf(valid_during)"
            )
        );
        batch.BatchCommands.Add(new("alter table ledger.bench_current_periods add primary key (customer_id)"));
        batch.BatchCommands.Add(new("create index on ledger.bench_current_periods (owner_id, customer_id)"));
        batch.BatchCommands.Add(new("analyze ledger.bench_current_periods"));
        batch.BatchCommands.Add(new("analyze ledger.state_periods"));
        batch.BatchCommands.Add(new("select count(*) from ledger.state_periods"));
        return (long)(await batch.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<PortfolioTiming> TimeAsync(
        string question,
        string instant,
        Func<string?, PortfolioQuery> query,
        PortfolioQueries queries,
        string baselineFilter,
        CancellationToken cancellationToken
    )
    {
        var random = new Random(7);
        string RandomCursor() => SeedHistories.CustomerIdOf(random.Next(settings.Customers));
        var matching = await CountAsync(queries, query(null), cancellationToken);
        var warmup = Math.Max(1, settings.Samples / 10);
        var portfolio = await Latency.MeasureAsync(
            () => queries.GetPageAsync(query(RandomCursor()), cancellationToken),
            warmup,
            settings.Samples
        );
        var baselineSql =
            "select customer_id, name, tier, stage, owner_id, since from ledger.bench_current_periods "
            + $"where {baselineFilter} and customer_id > $1 order by customer_id limit {PageSize + 1}";
        var baseline = await Latency.MeasureAsync(
            async () =>
            {
                await using var command = target.DataSource.CreateCommand(baselineSql);
                command.Parameters.Add(new() { Value = RandomCursor(), NpgsqlDbType = NpgsqlDbType.Text });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken)) { }
            },
            warmup,
            settings.Samples
        );
        Output.Results.MarkupLine(
            $"  {question} as of {instant}: p50 {portfolio.P50:0.00} ms (baseline {baseline.P50:0.00} ms), {matching:N0} matching"
        );
        return new PortfolioTiming(question, instant, matching, portfolio, baseline);
    }

    /// <summary>How many accounts match the question in all (pages followed to the end, at the largest size).</summary>
    private static async Task<int> CountAsync(
        PortfolioQueries queries,
        PortfolioQuery query,
        CancellationToken cancellationToken
    )
    {
        var count = 0;
        for (
            var page = await queries.GetPageAsync(query with { Limit = PortfolioQuery.MaxLimit }, cancellationToken);
            ;

        )
        {
            count += page.Customers.Count;
            if (page.Next is null)
                return count;
            page = await queries.GetPageAsync(
                query with
                {
                    Limit = PortfolioQuery.MaxLimit,
                    After = page.Customers[^1].CustomerId,
                },
                cancellationToken
            );
        }
    }
}
