using RelationshipLedger.Application;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Customers.Caching;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.EventStore;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>How <c>ledger bench ledger</c> runs.</summary>
internal sealed record LedgerBenchmarkSettings(
    string? Connection,
    bool Fsync,
    TimeSpan Duration,
    TimeSpan Warmup,
    int Rounds,
    int Writers,
    int HistoryEvents,
    int Samples,
    int CustomersPerWriter,
    int TypicalHistoryEvents
);

/// <summary>
/// Who the writers write to: <see cref="CustomersPerWriter"/> customers each, in turn, each starting with a
/// history of <see cref="HistoryEvents"/> events (0: registered only, its stream then grows by every command).
/// </summary>
internal sealed record AppendWorkload(string Name, int CustomersPerWriter, int HistoryEvents);

/// <summary>Appends per second through the command handler beside the bare store, for one workload and number of writers.</summary>
internal sealed record AppendComparison(AppendWorkload Workload, int Writers, Throughput Handler, Throughput Bare)
{
    public const double Target = 0.5;

    public double Ratio => Bare.PerSecond > 0 ? Handler.PerSecond / Bare.PerSecond : 0;
}

/// <summary>Latency of one way of reading the long customer.</summary>
internal sealed record ReadLatency(string Query, Latency Latency)
{
    public const double TargetP50Milliseconds = 2.0;
}

internal sealed record LedgerBenchmarkReport(
    LedgerBenchmarkSettings Settings,
    MachineInfo Machine,
    IReadOnlyList<AppendComparison> Appends,
    IReadOnlyList<ReadLatency> Reads,
    string? LoadAverageAtEnd
);

/// <summary>
/// Issue 3's figures: (a) single-event commands through <see cref="CustomerCommandHandler"/> with the inline
/// overview, beside bare <see cref="EventStore.EventStore.AppendAsync"/> of the same events, alternated in
/// rounds in the same run, with one writer and with several, in two workloads (<see cref="Workloads"/>);
/// (b) then, on a settled database, the latency of the overview of a customer with a long history, now and
/// time-travelled (to the middle of its history by business time, and to half its versions).
/// </summary>
internal sealed class LedgerBenchmark(BenchTarget target, LedgerBenchmarkSettings settings)
{
    private const string ReadCustomer = "bench-long-history";

    public async Task<LedgerBenchmarkReport> RunAsync(CancellationToken cancellationToken)
    {
        await LedgerSchema.MigrateAsync(target.DataSource, cancellationToken);
        var machine = await MachineInfo.CollectAsync(target.DataSource, target.Description, cancellationToken);
        var rules = LifecycleRules.Default;
        var cache = new CustomerStateCache();
        var projected = LedgerServices.CreateStore(target.DataSource, rules, cache);
        var bare = new EventStore.EventStore(
            target.DataSource,
            new EventStoreOptions { Serializer = LedgerEventTypes.CreateSerializer() }
        );
        var loader = new CustomerStateLoader(projected, cache);
        var handler = new CustomerCommandHandler(projected, loader);

        var appends = new List<AppendComparison>();
        foreach (var workload in Workloads())
        foreach (var writers in new[] { 1, settings.Writers }.Distinct())
        {
            Output.Results.MarkupLine($"Appending single events with {writers} writer(s), {workload.Name}…");
            appends.Add(await CompareAppendsAsync(handler, projected, bare, workload, writers, cancellationToken));
        }

        Output.Results.MarkupLine($"Writing a customer with {settings.HistoryEvents:N0} events and reading it…");
        var start = await LongHistory.WriteAsync(projected, ReadCustomer, settings.HistoryEvents, cancellationToken);
        await SettleAsync(cancellationToken);
        var middle = start.AddDays(settings.HistoryEvents / 2.0);
        var halfway = new TimeTravel(Version: settings.HistoryEvents / 2);
        var reads = new List<ReadLatency>();
        // Warm: this process has folded the customer before (the API's steady state). Cold: every read
        // deserializes the nearest snapshot and folds the events after it, as a fresh process would.
        foreach (
            var (cacheName, queries) in new[]
            {
                ("cached", new CustomerQueries(loader, rules, TimeProvider.System)),
                (
                    "no cache",
                    new CustomerQueries(
                        new CustomerStateLoader(projected, CustomerStateCache.None),
                        rules,
                        TimeProvider.System
                    )
                ),
            }
        )
        {
            reads.Add(await MeasureReadAsync(queries, $"now, {cacheName}", TimeTravel.Now, cancellationToken));
            reads.Add(
                await MeasureReadAsync(
                    queries,
                    $"asOf mid-history, {cacheName}",
                    new TimeTravel(AsOf: middle),
                    cancellationToken
                )
            );
            reads.Add(
                await MeasureReadAsync(queries, $"version = {halfway.Version}, {cacheName}", halfway, cancellationToken)
            );
        }
        return new LedgerBenchmarkReport(settings, machine, appends, reads, MachineInfo.ReadLoadAverage());
    }

    /// <summary>
    /// The worst case — one customer per writer whose stream grows by thousands of events during the run, so
    /// every command folds and evaluates an ever longer history — and the typical one: many customers with a
    /// few years of history each, as an API serving a portfolio sees them.
    /// </summary>
    private IEnumerable<AppendWorkload> Workloads() =>
        [
            new("one customer per writer, its stream growing (worst case)", 1, 0),
            new(
                $"{settings.CustomersPerWriter} customers per writer in turn, {settings.TypicalHistoryEvents}-event histories (typical)",
                settings.CustomersPerWriter,
                settings.TypicalHistoryEvents
            ),
        ];

    /// <summary>
    /// Lets the writes settle before reads are timed: a checkpoint (dirty pages and WAL written out), an
    /// analyze, and a full collection of this process's heap (the writers' cached states), so the reads
    /// measure reading rather than the append phases' aftermath.
    /// </summary>
    private async Task SettleAsync(CancellationToken cancellationToken)
    {
        await using var command = target.DataSource.CreateCommand("checkpoint; analyze");
        await command.ExecuteNonQueryAsync(cancellationToken);
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    private async Task<AppendComparison> CompareAppendsAsync(
        CustomerCommandHandler handler,
        EventStore.EventStore projected,
        EventStore.EventStore bare,
        AppendWorkload workload,
        int writers,
        CancellationToken cancellationToken
    )
    {
        var slice = settings.Duration / settings.Rounds;
        var handlerTotal = new Throughput(0, TimeSpan.Zero);
        var bareTotal = new Throughput(0, TimeSpan.Zero);
        var startVersion = Math.Max(1, workload.HistoryEvents);
        for (var round = 0; round < settings.Rounds; round++)
        {
            var prefix = $"bench-{workload.CustomersPerWriter}c{workload.HistoryEvents}e-{writers}w-r{round}";
            var handlerWriters = new List<IBenchWriter>();
            var bareWriters = new List<IBenchWriter>();
            for (var w = 0; w < writers; w++)
            {
                handlerWriters.Add(
                    new HandlerPurchaseWriter(
                        handler,
                        await CustomersAsync(handler, projected, $"{prefix}-h{w}", workload, cancellationToken)
                    )
                );
                bareWriters.Add(
                    new BareStorePurchaseWriter(
                        bare,
                        await CustomersAsync(handler, projected, $"{prefix}-b{w}", workload, cancellationToken),
                        startVersion
                    )
                );
            }
            handlerTotal = handlerTotal.Add(
                await LoadRunner.RunAsync(handlerWriters, settings.Warmup, slice, cancellationToken)
            );
            bareTotal = bareTotal.Add(
                await LoadRunner.RunAsync(bareWriters, settings.Warmup, slice, cancellationToken)
            );
        }
        return new AppendComparison(workload, writers, handlerTotal, bareTotal);
    }

    /// <summary>The workload's customers of one writer: registered, or with their histories written through the projected store.</summary>
    private static async Task<IReadOnlyList<string>> CustomersAsync(
        CustomerCommandHandler handler,
        EventStore.EventStore projected,
        string prefix,
        AppendWorkload workload,
        CancellationToken cancellationToken
    )
    {
        var customers = new List<string>();
        for (var c = 0; c < workload.CustomersPerWriter; c++)
        {
            var customerId = $"{prefix}-c{c}";
            if (workload.HistoryEvents > 1)
                await LongHistory.WriteAsync(projected, customerId, workload.HistoryEvents, cancellationToken);
            else
                await RegisterAsync(handler, customerId, cancellationToken);
            customers.Add(customerId);
        }
        return customers;
    }

    /// <summary>Registers a customer through the handler (so both kinds of writer start from a registered stream at version 1).</summary>
    private static async Task<string> RegisterAsync(
        CustomerCommandHandler handler,
        string customerId,
        CancellationToken cancellationToken
    )
    {
        var command = new Domain.Customers.CustomerCommand.RegisterCustomer(
            "Bench GmbH",
            Domain.Customers.CustomerKind.Organization
        )
        {
            IssuedAt = DateTimeOffset.UtcNow,
        };
        await handler.HandleAsync(customerId, command, new CommandContext("bench"), cancellationToken);
        return customerId;
    }

    private async Task<ReadLatency> MeasureReadAsync(
        CustomerQueries queries,
        string name,
        TimeTravel travel,
        CancellationToken cancellationToken
    )
    {
        var latency = await Latency.MeasureAsync(
            async () =>
            {
                if (await queries.GetOverviewAsync(ReadCustomer, travel, cancellationToken) is null)
                    throw new InvalidOperationException($"The benchmark's customer has no overview for {travel}.");
            },
            // As many calls again as are measured: enough for the JIT to have promoted the fold, decode and
            // summary code to its optimized tier, as in a server that has been answering for a while.
            warmup: Math.Max(100, settings.Samples),
            settings.Samples
        );
        return new ReadLatency(name, latency);
    }
}
