using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using RelationshipLedger.Application;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Customers.Caching;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.EventStore.Daemon;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>How <c>ledger bench daemon</c> runs.</summary>
internal sealed record DaemonBenchmarkSettings(
    string? Connection,
    bool Fsync,
    TimeSpan Duration,
    int Writers,
    int CustomersPerWriter
);

/// <summary>One projection's lag while the writers ran, and how long it took to catch up once they stopped.</summary>
internal sealed record ProjectionLag(
    string Projection,
    Percentiles LagEvents,
    Percentiles LagSeconds,
    TimeSpan CatchUp
);

internal sealed record Percentiles(double P50, double P95, double Max)
{
    public static Percentiles Of(IReadOnlyList<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return sorted.Length == 0 ? new(0, 0, 0) : new(At(sorted, 0.50), At(sorted, 0.95), sorted[^1]);
    }

    private static double At(double[] sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}

internal sealed record DaemonBenchmarkReport(
    DaemonBenchmarkSettings Settings,
    MachineInfo Machine,
    Throughput Appends,
    IReadOnlyList<ProjectionLag> Projections,
    int Samples,
    string? LoadAverageAtEnd
);

/// <summary>
/// The projection daemon's lag under sustained appends: writers run commands through the handler (with
/// the inline overview, as the API does) while the daemon runs in this process; every
/// <see cref="SampleInterval"/> the lag of each projection (events and seconds behind the head of the
/// log, as <c>GET /admin/projections</c> reports it) is sampled. Then the writers stop and the time
/// until every projection has caught up is measured.
/// </summary>
internal sealed class DaemonBenchmark(BenchTarget target, DaemonBenchmarkSettings settings)
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan CatchUpDeadline = TimeSpan.FromMinutes(5);

    public async Task<DaemonBenchmarkReport> RunAsync(CancellationToken cancellationToken)
    {
        await LedgerSchema.MigrateAsync(target.DataSource, cancellationToken);
        var machine = await MachineInfo.CollectAsync(target.DataSource, target.Description, cancellationToken);
        var rules = LifecycleRules.Default;
        var cache = new CustomerStateCache();
        var store = LedgerServices.CreateStore(target.DataSource, rules, cache);
        var handler = new CustomerCommandHandler(store, new CustomerStateLoader(store, cache));
        var writers = new List<IBenchWriter>();
        for (var w = 0; w < settings.Writers; w++)
            writers.Add(new DaemonLagWriter(handler, await RegisterAsync(handler, w, cancellationToken)));

        using var stopDaemon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var daemon = new ProjectionDaemon(
            store,
            LedgerServices.CreateAsyncProjections(store.Serializer),
            new ProjectionDaemonOptions(),
            NullLoggerFactory.Instance
        );
        var running = daemon.RunAsync(stopDaemon.Token);
        var operations = new ProjectionOperations(target.DataSource);
        try
        {
            var samples = new Dictionary<string, (List<double> Events, List<double> Seconds)>();
            using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var sampling = SampleAsync(operations, samples, stopSampling.Token);
            Output.Results.MarkupLine($"Appending with {settings.Writers} writer(s) while the daemon runs…");
            var appends = await LoadRunner.RunAsync(writers, TimeSpan.Zero, settings.Duration, cancellationToken);
            await stopSampling.CancelAsync();
            var sampleCount = await sampling;
            var catchUp = await CatchUpAsync(operations, cancellationToken);
            var lags = samples
                .OrderBy(s => s.Key, StringComparer.Ordinal)
                .Select(s => new ProjectionLag(
                    s.Key,
                    Percentiles.Of(s.Value.Events),
                    Percentiles.Of(s.Value.Seconds),
                    catchUp.TryGetValue(s.Key, out var took) ? took : CatchUpDeadline
                ))
                .ToList();
            return new DaemonBenchmarkReport(
                settings,
                machine,
                appends,
                lags,
                sampleCount,
                MachineInfo.ReadLoadAverage()
            );
        }
        finally
        {
            await stopDaemon.CancelAsync();
            await running;
        }
    }

    private async Task<List<string>> RegisterAsync(
        CustomerCommandHandler handler,
        int writer,
        CancellationToken cancellationToken
    )
    {
        var customers = new List<string>();
        for (var c = 0; c < settings.CustomersPerWriter; c++)
        {
            var customerId = $"lag-w{writer}-c{c}";
            var command = new CustomerCommand.RegisterCustomer($"Lag {writer}/{c}", CustomerKind.Organization)
            {
                IssuedAt = DateTimeOffset.UtcNow,
            };
            await handler.HandleAsync(customerId, command, new CommandContext("bench"), cancellationToken);
            customers.Add(customerId);
        }
        return customers;
    }

    /// <summary>Samples every projection's lag until cancelled; returns the number of sampling rounds.</summary>
    private static async Task<int> SampleAsync(
        ProjectionOperations operations,
        Dictionary<string, (List<double> Events, List<double> Seconds)> samples,
        CancellationToken cancellationToken
    )
    {
        var rounds = 0;
        using var timer = new PeriodicTimer(SampleInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                foreach (var status in await operations.ListAsync(cancellationToken))
                {
                    if (!samples.TryGetValue(status.Name, out var lists))
                        samples[status.Name] = lists = ([], []);
                    lists.Events.Add(status.LagEvents);
                    lists.Seconds.Add(status.LagSeconds);
                }
                rounds++;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The writers have stopped: sampling ends with them.
        }
        return rounds;
    }

    /// <summary>How long after the writers stopped each projection reached zero lag.</summary>
    private static async Task<Dictionary<string, TimeSpan>> CatchUpAsync(
        ProjectionOperations operations,
        CancellationToken cancellationToken
    )
    {
        var caughtUp = new Dictionary<string, TimeSpan>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < CatchUpDeadline)
        {
            var statuses = await operations.ListAsync(cancellationToken);
            foreach (var status in statuses.Where(s => s.LagEvents == 0))
                caughtUp.TryAdd(status.Name, clock.Elapsed);
            if (statuses.All(s => caughtUp.ContainsKey(s.Name)))
                break;
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
        return caughtUp;
    }
}
