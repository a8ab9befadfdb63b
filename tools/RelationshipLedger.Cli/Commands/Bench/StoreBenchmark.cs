using Npgsql;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Serialization;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>
/// The phases of <c>ledger bench store</c>. Each measures the store and its raw PostgreSQL baseline
/// on the same server, through the same data source, with the same rows, in alternating slices.
/// </summary>
internal sealed class StoreBenchmark(BenchTarget target, StoreBenchmarkSettings settings)
{
    /// <summary>The store must reach at least half of what plain PostgreSQL does with the same rows.</summary>
    private const double TargetRatio = 0.5;

    private const int ReadWarmupEvents = 20_000;

    private readonly EventStore.EventStore _store = new(
        target.DataSource,
        new EventStoreOptions { Serializer = new EventSerializer(PurchaseEvents.Types()) }
    );
    private bool _canCheckpoint = true;

    public async Task<StoreBenchmarkReport> RunAsync(CancellationToken cancellationToken)
    {
        await BenchSchema.CreateAsync(target.DataSource, cancellationToken);
        var machine = await MachineInfo.CollectAsync(target.DataSource, target.Description, cancellationToken);
        Output.Results.MarkupLine(
            $"Benchmarking on {Markup.Escape(target.Description)}, fsync {Markup.Escape(machine.Fsync)}"
        );
        Output.Results.MarkupLine($"[grey]{Markup.Escape(machine.ServerVersion)}[/]");

        var comparisons = new List<Comparison>();
        long logEvents = 0;
        await Output
            .Results.Status()
            .StartAsync(
                "Starting",
                async status =>
                {
                    foreach (var writers in WriterCounts())
                        comparisons.Add(
                            await CompareAppendsAsync(
                                status,
                                writers,
                                batchSize: 1,
                                writers > 1 ? TargetRatio : null,
                                cancellationToken
                            )
                        );
                    foreach (var writers in WriterCounts())
                    {
                        comparisons.Add(
                            await CompareAppendsAsync(
                                status,
                                writers,
                                settings.BatchSize,
                                TargetRatio,
                                cancellationToken
                            )
                        );
                        comparisons.Add(await MeasureCopyAsync(status, writers, cancellationToken));
                    }
                    (var reads, logEvents) = await CompareReadsAsync(status, cancellationToken);
                    comparisons.Add(reads);
                }
            );
        return new StoreBenchmarkReport(settings, machine, comparisons, logEvents);
    }

    private IEnumerable<int> WriterCounts() => settings.Writers == 1 ? [1] : [1, settings.Writers];

    private async Task<Comparison> CompareAppendsAsync(
        StatusContext status,
        int writers,
        int batchSize,
        double? targetRatio,
        CancellationToken cancellationToken
    )
    {
        var single = batchSize == 1;
        var phase = single ? "Single-event appends" : $"Appends of {batchSize}-event batches";
        var baseline = single ? "single-row INSERT transactions" : $"INSERTs of {batchSize} rows";
        var key = single ? $"single-{writers}" : $"batch-{writers}";
        var storeWriters = Writers(
            writers,
            w => new StoreAppender(
                _store,
                new PurchaseEvents(w, settings.PayloadBytes),
                BenchStreams.Prefix(key, w),
                batchSize
            )
        );
        var rawWriters = Writers(writers, w => new RawInsertWriter(target.DataSource, RawStreams(key, w), batchSize));

        var label = $"{phase}, {writers} writer(s)";
        Throughput store = default;
        Throughput raw = default;
        var slice = settings.Duration / settings.Rounds;
        for (var round = 1; round <= settings.Rounds; round++)
        {
            var warmup = round == 1 ? settings.Warmup : TimeSpan.Zero;
            store = store.Add(
                await MeasureSliceAsync(
                    status,
                    $"{label}: store, round {round}",
                    storeWriters,
                    warmup,
                    slice,
                    cancellationToken
                )
            );
            raw = raw.Add(
                await MeasureSliceAsync(
                    status,
                    $"{label}: raw {baseline}, round {round}",
                    rawWriters,
                    warmup,
                    slice,
                    cancellationToken
                )
            );
        }
        Report($"{label}: store", store, "events");
        Report($"{label}: raw {baseline}", raw, "rows");
        return new Comparison(phase, writers, store.PerSecond, baseline, raw.PerSecond, targetRatio);
    }

    private async Task<Comparison> MeasureCopyAsync(
        StatusContext status,
        int writers,
        CancellationToken cancellationToken
    )
    {
        var key = $"copy-{writers}";
        var label = $"Context, {writers} writer(s): raw binary COPY of {settings.BatchSize} rows";
        var copyWriters = Writers(
            writers,
            w => new RawCopyWriter(target.DataSource, RawStreams(key, w), settings.BatchSize)
        );
        var copy = await MeasureSliceAsync(
            status,
            label,
            copyWriters,
            settings.Warmup,
            settings.Duration,
            cancellationToken
        );
        Report(label, copy, "rows");
        return new Comparison(
            "Context: raw binary COPY",
            writers,
            null,
            $"COPY of {settings.BatchSize} rows",
            copy.PerSecond,
            null
        );
    }

    private async Task<(Comparison Reads, long LogEvents)> CompareReadsAsync(
        StatusContext status,
        CancellationToken cancellationToken
    )
    {
        status.Status("Vacuuming the log before reading it");
        await BenchSchema.VacuumLogAsync(target.DataSource, cancellationToken);
        status.Status("Warming up the log reads");
        await LogReaders.ReadThroughStoreAsync(_store, settings.ReadPageSize, ReadWarmupEvents, cancellationToken);
        await LogReaders.ReadRawAsync(target.DataSource, ReadWarmupEvents, cancellationToken);

        Throughput store = default;
        Throughput raw = default;
        for (var round = 1; round <= settings.Rounds; round++)
        {
            status.Status($"Full-log read: store, round {round}");
            store = store.Add(
                await LogReaders.ReadThroughStoreAsync(_store, settings.ReadPageSize, limit: null, cancellationToken)
            );
            status.Status($"Full-log read: raw sequential select, round {round}");
            raw = raw.Add(await LogReaders.ReadRawAsync(target.DataSource, limit: null, cancellationToken));
        }
        if (raw.Count != store.Count)
            throw new InvalidOperationException(
                $"The store read {store.Count} events but the raw select read {raw.Count} rows."
            );
        Report($"Full-log read: store, pages of {settings.ReadPageSize}", store, "events");
        Report("Full-log read: raw select … order by seq_id", raw, "rows");
        var comparison = new Comparison(
            "Full-log read",
            1,
            store.PerSecond,
            "sequential select … order by seq_id",
            raw.PerSecond,
            TargetRatio
        );
        return (comparison, store.Count / settings.Rounds);
    }

    private async Task<Throughput> MeasureSliceAsync(
        StatusContext status,
        string label,
        IReadOnlyList<IBenchWriter> writers,
        TimeSpan warmup,
        TimeSpan duration,
        CancellationToken cancellationToken
    )
    {
        await CheckpointAsync(cancellationToken);
        var warmupText = warmup > TimeSpan.Zero ? $"warm-up {warmup.TotalSeconds:0} s, then " : "";
        status.Status($"{label} ({warmupText}{duration.TotalSeconds:0.#} s measured)");
        return await LoadRunner.RunAsync(writers, warmup, duration, cancellationToken);
    }

    /// <summary>
    /// Starts every measured slice right after a checkpoint, so each one pays the same full-page writes
    /// and none is slowed by a checkpoint that the slice before it caused.
    /// </summary>
    private async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        if (!_canCheckpoint)
            return;
        try
        {
            await using var command = target.DataSource.CreateCommand("checkpoint");
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            _canCheckpoint = false;
            Output.Results.MarkupLine("[yellow]This role may not run CHECKPOINT; slices start without one.[/]");
        }
    }

    private RawStreams RawStreams(string key, int writer) =>
        new(_store.Serializer, new PurchaseEvents(writer, settings.PayloadBytes), BenchStreams.Prefix(key, writer));

    private static IBenchWriter[] Writers(int count, Func<int, IBenchWriter> create) =>
        Enumerable.Range(1, count).Select(create).ToArray();

    private static void Report(string label, Throughput throughput, string unit) =>
        Output.Results.MarkupLine(
            $"  {Markup.Escape(label)}: [bold]{throughput.PerSecond:N0}[/] {unit}/s [grey]({throughput.Count:N0} in {throughput.Elapsed.TotalSeconds:0.0} s)[/]"
        );
}
