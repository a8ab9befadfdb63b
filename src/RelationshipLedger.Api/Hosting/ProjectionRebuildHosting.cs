using RelationshipLedger.Application;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.EventStore.Daemon;
using RelationshipLedger.EventStore.Projections;
using RelationshipLedger.EventStore.Rebuilds;

namespace RelationshipLedger.Api.Hosting;

/// <summary>
/// Rebuilds of the same projections the daemon runs, started by <c>POST /admin/projections/{name}/rebuild</c>
/// and run in the background of this process; <c>Ledger:Rebuilds</c> takes the <see cref="RebuildOptions"/>.
/// Stopping the host cancels them cleanly (each stays resumable from its checkpoint).
/// </summary>
public static class ProjectionRebuildHosting
{
    public const string Section = "Ledger:Rebuilds";

    public static void AddProjectionRebuilds(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(Section).Get<RebuildOptions>() ?? new RebuildOptions();
        options.Validate();
        builder.Services.AddSingleton(services =>
        {
            var store = services.GetRequiredService<EventStore.EventStore>();
            var projections = LedgerServices
                .CreateAsyncProjections(store.Serializer, services.GetRequiredService<LifecycleRules>())
                .Concat(services.GetServices<IAsyncProjection>());
            var daemon = services.GetRequiredService<ProjectionDaemonOptions>();
            return new BackgroundRebuilds(
                store,
                projections,
                options with
                {
                    NodeName = daemon.NodeName,
                },
                services.GetRequiredService<ILoggerFactory>()
            );
        });
        builder.Services.AddSingleton(services => new RebuildOperations(
            services.GetRequiredService<EventStore.EventStore>().DataSource
        ));
        builder.Services.AddHostedService<BackgroundRebuildsLifetime>();
    }
}

/// <summary>Cancels this process's rebuilds when the host stops, and waits until each has let go of its lock.</summary>
internal sealed class BackgroundRebuildsLifetime(BackgroundRebuilds rebuilds) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken) => await rebuilds.DisposeAsync();
}
