using System.Diagnostics;
using System.Net.Http.Json;
using RelationshipLedger.Application;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Customers.Caching;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>How <c>ledger bench load</c> runs.</summary>
internal sealed record LoadBenchmarkSettings(
    string? Connection,
    bool Fsync,
    TimeSpan Duration,
    int Writers,
    int Readers,
    int CustomersPerWriter,
    TimeSpan? WarmupOverride = null
)
{
    /// <summary>
    /// Traffic excluded from the figures: the API's JIT and pools settle first (5 s, 1 s for short runs),
    /// or longer when asked for (<c>--warmup</c>): long enough for the caches to fill to their bounds.
    /// </summary>
    public TimeSpan Warmup => WarmupOverride ?? StoreWarmup;

    /// <summary>The store-level phase's warm-up: its handler's JIT and pools only.</summary>
    public TimeSpan StoreWarmup =>
        Duration >= TimeSpan.FromSeconds(20) ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(1);

    /// <summary>The store-level phase: a quarter of the HTTP run, at least 3 s.</summary>
    public TimeSpan StorePhase => TimeSpan.FromSeconds(Math.Max(3, Duration.TotalSeconds / 4));
}

/// <summary>One sample of the API process's memory (<c>GET /admin/process</c>), seconds into the measured period.</summary>
internal sealed record MemorySample(
    double AtSeconds,
    long WorkingSetBytes,
    long GcHeapBytes,
    long StateCacheEvents,
    long StateHistoryKeptEvents
);

/// <summary>The API's live heap after a full collection, after the warm-up and at the end of the measured period.</summary>
internal sealed record LiveHeap(long AfterWarmupBytes, long AtEndBytes);

internal sealed record LoadBenchmarkReport(
    LoadBenchmarkSettings Settings,
    MachineInfo Machine,
    IReadOnlyList<KindFigures> Kinds,
    IReadOnlyList<MemorySample> Memory,
    LiveHeap LiveHeap,
    Throughput StoreAppends,
    Throughput? StoreAppendsWithReaders,
    long EventsAtEnd,
    string? LoadAverageAtEnd
);

/// <summary>
/// <c>ledger bench load</c>: the real API as a child process on the benchmark's database; customers
/// registered over HTTP; then writers and readers in closed loops for the duration, while the API's memory
/// is sampled every second. Then, with the API stopped, the same commands (purchases on customers of their
/// own) through the command handler in this process, no HTTP, for the store-level rate of the same run;
/// with readers, once more beside as many readers in this process, for the store level under the same mix.
/// </summary>
internal sealed class LoadBenchmark(BenchTarget target, LoadBenchmarkSettings settings)
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(1);

    public async Task<LoadBenchmarkReport> RunAsync(CancellationToken cancellationToken)
    {
        await LedgerSchema.MigrateAsync(target.DataSource, cancellationToken);
        var machine = await MachineInfo.CollectAsync(target.DataSource, target.Description, cancellationToken);
        var recorder = new LoadRecorder();
        List<MemorySample> memory;
        LiveHeap liveHeap;
        TimeSpan measured;
        await using (var api = await ApiProcess.StartAsync(target.ConnectionString, cancellationToken))
        {
            using var client = LoadTraffic.CreateClient(api);
            var traffic = new LoadTraffic(client, recorder);
            var customers = await SeedAsync(traffic, cancellationToken);
            traffic.SeededAt = DateTimeOffset.UtcNow;
            Output.Results.MarkupLine(
                $"Sustained load: {settings.Writers} writer(s), {settings.Readers} reader(s) for {settings.Duration.TotalSeconds:0} s after {settings.Warmup.TotalSeconds:0} s warm-up…"
            );
            (measured, memory, liveHeap) = await RunTrafficAsync(
                traffic,
                client,
                customers,
                recorder,
                cancellationToken
            );
        }
        Output.Results.MarkupLine(
            $"Store level: the same commands through the handler, no HTTP, for {settings.StorePhase.TotalSeconds:0} s…"
        );
        var figures = recorder.Figures(measured);
        var storeAppends = await StoreLevelAsync("store", readsPerReader: null, cancellationToken);
        Throughput? withReaders = null;
        if (settings.Readers > 0)
        {
            Output.Results.MarkupLine(
                $"Store level under the same mix: those commands and {settings.Readers} reader(s) in this process, for {settings.StorePhase.TotalSeconds:0} s…"
            );
            withReaders = await StoreLevelAsync("store-mix", ReadsPerReader(figures), cancellationToken);
        }
        return new LoadBenchmarkReport(
            settings,
            machine,
            figures,
            memory,
            liveHeap,
            storeAppends,
            withReaders,
            await CountEventsAsync(cancellationToken),
            MachineInfo.ReadLoadAverage()
        );
    }

    private async Task<List<List<string>>> SeedAsync(LoadTraffic traffic, CancellationToken cancellationToken)
    {
        var customers = new List<List<string>>();
        for (var w = 0; w < settings.Writers; w++)
        {
            var own = new List<string>();
            for (var c = 0; c < settings.CustomersPerWriter; c++)
            {
                var customerId = $"load-w{w}-c{c}";
                await traffic.RegisterAsync(customerId, cancellationToken);
                own.Add(customerId);
            }
            customers.Add(own);
        }
        return customers;
    }

    private async Task<(TimeSpan Measured, List<MemorySample> Memory, LiveHeap LiveHeap)> RunTrafficAsync(
        LoadTraffic traffic,
        HttpClient client,
        List<List<string>> customers,
        LoadRecorder recorder,
        CancellationToken cancellationToken
    )
    {
        var stopped = false;
        var everyone = customers.SelectMany(c => c).ToList();
        var loops = new List<Task>();
        for (var w = 0; w < settings.Writers; w++)
        {
            var writer = w;
            loops.Add(
                Task.Run(
                    () => traffic.WriteAsync(writer, customers[writer], () => stopped, cancellationToken),
                    cancellationToken
                )
            );
        }
        for (var r = 0; r < settings.Readers; r++)
        {
            var reader = r;
            loops.Add(
                Task.Run(() => traffic.ReadAsync(reader, everyone, () => stopped, cancellationToken), cancellationToken)
            );
        }
        try
        {
            await Task.Delay(settings.Warmup, cancellationToken);
            // The two full collections pause the API once at each end: outside the measured period.
            var liveAfterWarmup = await LiveHeapBytesAsync(client, cancellationToken);
            recorder.Measuring = true;
            var clock = Stopwatch.StartNew();
            var memory = new List<MemorySample>();
            using var timer = new PeriodicTimer(SampleInterval);
            while (clock.Elapsed < settings.Duration && await timer.WaitForNextTickAsync(cancellationToken))
                memory.Add(await SampleMemoryAsync(client, clock.Elapsed, cancellationToken));
            recorder.Measuring = false;
            var measured = clock.Elapsed;
            var liveAtEnd = await LiveHeapBytesAsync(client, cancellationToken);
            return (measured, memory, new LiveHeap(liveAfterWarmup, liveAtEnd));
        }
        finally
        {
            stopped = true;
            await Task.WhenAll(loops);
        }
    }

    private static async Task<MemorySample> SampleMemoryAsync(
        HttpClient client,
        TimeSpan at,
        CancellationToken cancellationToken
    )
    {
        var process =
            await client.GetFromJsonAsync<ProcessFigures>("admin/process", cancellationToken)
            ?? throw new InvalidOperationException("GET /admin/process answered nothing.");
        return new MemorySample(
            at.TotalSeconds,
            process.WorkingSetBytes,
            process.GcHeapBytes,
            process.StateCacheEvents,
            process.StateHistoryKeptEvents
        );
    }

    private static async Task<long> LiveHeapBytesAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var process =
            await client.GetFromJsonAsync<ProcessFigures>("admin/process?fullCollection=true", cancellationToken)
            ?? throw new InvalidOperationException("GET /admin/process answered nothing.");
        return process.LiveHeapBytes ?? throw new InvalidOperationException("GET /admin/process gave no live heap.");
    }

    private sealed record ProcessFigures(
        long WorkingSetBytes,
        long GcHeapBytes,
        long StateCacheEvents,
        long StateHistoryKeptEvents,
        long? LiveHeapBytes
    );

    /// <summary>
    /// Purchases through the command handler (inline overview included, as in the API), writers on customers
    /// of their own named from <paramref name="prefix"/>; with <paramref name="readsPerReader"/>, the HTTP
    /// run's readers beside them in this process (<see cref="InProcessReader"/>), each paced to that rate.
    /// </summary>
    private async Task<Throughput> StoreLevelAsync(
        string prefix,
        double? readsPerReader,
        CancellationToken cancellationToken
    )
    {
        var cache = new CustomerStateCache();
        var store = LedgerServices.CreateStore(target.DataSource, LifecycleRules.Default, cache);
        var loader = new CustomerStateLoader(store, cache);
        var handler = new CustomerCommandHandler(store, loader);
        var writers = new List<IBenchWriter>();
        var everyone = new List<string>();
        for (var w = 0; w < settings.Writers; w++)
        {
            var customers = new List<string>();
            for (var c = 0; c < settings.CustomersPerWriter; c++)
            {
                var customerId = $"{prefix}-w{w}-c{c}";
                await handler.HandleAsync(
                    customerId,
                    new CustomerCommand.RegisterCustomer($"Store {w}/{c}", CustomerKind.Organization)
                    {
                        IssuedAt = DateTimeOffset.UtcNow,
                    },
                    new CommandContext("bench"),
                    cancellationToken
                );
                customers.Add(customerId);
            }
            writers.Add(new HandlerPurchaseWriter(handler, customers));
            everyone.AddRange(customers);
        }
        if (readsPerReader is { } pace)
        {
            var queries = new CustomerQueries(loader, LifecycleRules.Default, TimeProvider.System);
            var seededAt = DateTimeOffset.UtcNow;
            for (var r = 0; r < settings.Readers; r++)
                writers.Add(new InProcessReader(queries, store, everyone, seededAt, r, pace));
        }
        return await LoadRunner.RunAsync(writers, settings.StoreWarmup, settings.StorePhase, cancellationToken);
    }

    /// <summary>Each HTTP reader's share of the reads per second the HTTP run answered.</summary>
    private double ReadsPerReader(IReadOnlyList<KindFigures> figures) =>
        Math.Max(1, figures.Where(f => f.Kind != LoadKind.Append).Sum(f => f.PerSecond)) / settings.Readers;

    private async Task<long> CountEventsAsync(CancellationToken cancellationToken)
    {
        await using var command = target.DataSource.CreateCommand("select count(*) from ledger.events");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
