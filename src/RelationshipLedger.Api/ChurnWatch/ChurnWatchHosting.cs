using Npgsql;
using RelationshipLedger.Application.ChurnWatch;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Customers.Caching;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Api.ChurnWatch;

/// <summary>How the API runs the churn watch (<c>Ledger:ChurnWatch</c>).</summary>
public sealed record ChurnWatchOptions
{
    public const string Section = "Ledger:ChurnWatch";

    /// <summary>Whether this process runs the job at all; the watch list is served either way.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>From one run's start to the next; the first runs when the API starts.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How many customers one run evaluates at once.</summary>
    public int Parallelism { get; init; } = 2;

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Interval, TimeSpan.Zero, nameof(Interval));
        ArgumentOutOfRangeException.ThrowIfLessThan(Parallelism, 1, nameof(Parallelism));
    }
}

/// <summary>The churn watch in the API: the job, its hosted schedule (unless disabled) and the watch list's queries.</summary>
public static class ChurnWatchHosting
{
    public static void AddChurnWatch(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(ChurnWatchOptions.Section).Get<ChurnWatchOptions>() ?? new();
        options.Validate();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(services =>
        {
            var store = services.GetRequiredService<EventStore.EventStore>();
            // Its own loader without a cache: a run reads every customer once, which would only push
            // the heads that commands and queries use out of the shared cache.
            return new ChurnWatchJob(
                services.GetRequiredService<NpgsqlDataSource>(),
                new CustomerStateLoader(store, CustomerStateCache.None),
                services.GetRequiredService<CustomerCommandHandler>(),
                services.GetRequiredService<LifecycleRules>(),
                services.GetRequiredService<TimeProvider>()
            )
            {
                Parallelism = options.Parallelism,
            };
        });
        builder.Services.AddSingleton<ChurnWatchQueries>();
        if (options.Enabled)
            builder.Services.AddHostedService<ChurnWatchService>();
    }
}

/// <summary>
/// Runs the churn watch when the API starts and then every <see cref="ChurnWatchOptions.Interval"/>,
/// as of the clock's now. Every node may run it: the job's lock lets one evaluate at a time and the
/// others skip that round. A failed run is logged and the next one comes at the next interval.
/// </summary>
internal sealed partial class ChurnWatchService(
    ChurnWatchJob job,
    ChurnWatchOptions options,
    TimeProvider clock,
    ILogger<ChurnWatchService> logger
) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Interval, clock);
        try
        {
            do
            {
                await RunOnceAsync(stoppingToken);
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    private async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            var run = await job.RunAsync(clock.GetUtcNow(), stoppingToken);
            if (run is null)
                LogSkipped(logger);
            else
                LogRun(logger, run.Evaluated, run.Flagged.Count, run.AlreadyFlagged, run.Refused.Count);
        }
        catch (Exception exception)
            when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            LogFailed(logger, exception);
        }
    }

    [LoggerMessage(
        Level = LogLevel.Information,
        Message = "Churn watch skipped: another process holds its lock and is evaluating."
    )]
    private static partial void LogSkipped(ILogger logger);

    [LoggerMessage(
        Level = LogLevel.Information,
        Message = "Churn watch evaluated {Evaluated} customers: {Flagged} flagged, {AlreadyFlagged} already flagged, {Refused} refused."
    )]
    private static partial void LogRun(ILogger logger, int evaluated, int flagged, int alreadyFlagged, int refused);

    [LoggerMessage(Level = LogLevel.Error, Message = "Churn watch run failed; the next interval tries again.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
