using RelationshipLedger.Application;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.EventStore.Daemon;
using RelationshipLedger.EventStore.Projections;

namespace RelationshipLedger.Api.Hosting;

/// <summary>
/// The projection daemon in the API process: the ledger's asynchronous projections (and any other
/// <see cref="IAsyncProjection"/> registered as a service), run by a hosted service unless
/// <c>Ledger:Daemon:Enabled</c> is false. <c>Ledger:Daemon</c> also takes the
/// <see cref="ProjectionDaemonOptions"/> (BatchSize, PollInterval, NodeName, …).
/// </summary>
public static class ProjectionDaemonHosting
{
    public const string Section = "Ledger:Daemon";

    public static void AddProjectionDaemon(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(Section);
        var options = section.Get<ProjectionDaemonOptions>() ?? new ProjectionDaemonOptions();
        options.Validate();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(services =>
        {
            var store = services.GetRequiredService<EventStore.EventStore>();
            var projections = LedgerServices
                .CreateAsyncProjections(store.Serializer, services.GetRequiredService<LifecycleRules>())
                .Concat(services.GetServices<IAsyncProjection>());
            return new ProjectionDaemon(
                store,
                projections,
                services.GetRequiredService<ProjectionDaemonOptions>(),
                services.GetRequiredService<ILoggerFactory>()
            );
        });
        builder.Services.AddSingleton(services => new ProjectionOperations(
            services.GetRequiredService<EventStore.EventStore>().DataSource
        ));
        if (section.GetValue("Enabled", defaultValue: true))
            builder.Services.AddHostedService<ProjectionDaemonService>();
    }
}

/// <summary>Runs the daemon from host start (after the schema is migrated) to host stop.</summary>
internal sealed class ProjectionDaemonService(ProjectionDaemon daemon) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => daemon.RunAsync(stoppingToken);
}
