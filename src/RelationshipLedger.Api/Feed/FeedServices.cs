using Npgsql;
using RelationshipLedger.Application.Feed;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Api.Feed;

/// <summary>The live feed's services: one watcher of the log for the process, run by the host. Settings: section <c>Feed</c>.</summary>
public static class FeedServices
{
    public static IServiceCollection AddLedgerFeed(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection("Feed").Get<LiveFeedOptions>() ?? new LiveFeedOptions();
        services.AddSingleton(options);
        services.AddSingleton(provider => new GlobalLogWatcher(
            provider.GetRequiredService<EventStore.EventStore>(),
            options.PollInterval,
            provider.GetRequiredService<TimeProvider>()
        ));
        services.AddSingleton<LiveFeed>();
        services.AddHostedService<GlobalLogWatcherService>();
        return services;
    }
}

/// <summary>Runs the process's <see cref="GlobalLogWatcher"/>; after a database failure it logs and tries again.</summary>
internal sealed partial class GlobalLogWatcherService(GlobalLogWatcher watcher, ILogger<GlobalLogWatcherService> logger)
    : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await watcher.RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
            {
                // Followers still read once per idle interval on their own; they only wait longer.
                LogFailure(logger, RetryDelay.TotalSeconds, exception);
                await Task.Delay(RetryDelay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching the event log failed; trying again in {Seconds} s.")]
    private static partial void LogFailure(ILogger logger, double seconds, Exception exception);
}
