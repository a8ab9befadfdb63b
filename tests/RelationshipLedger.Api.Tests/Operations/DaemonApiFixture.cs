using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using RelationshipLedger.Api.Tests.Support;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Projections;

namespace RelationshipLedger.Api.Tests.Operations;

/// <summary>
/// The API with its daemon tuned to poll, retry and give up quickly, and one more projection beside
/// the ledger's: <see cref="PoisonedProjection"/>, which fails on any event carrying <see cref="PoisonPill"/>.
/// </summary>
public sealed class DaemonApiFixture : ConfiguredApiFixture
{
    public const string PoisonPill = "poison-pill";
    public const string PoisonedProjection = "poisoned_by_pill";

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Ledger:Daemon:NodeName", "api-under-test");
        builder.UseSetting("Ledger:Daemon:PollInterval", "00:00:00.100");
        builder.UseSetting("Ledger:Daemon:StandbyRetryInterval", "00:00:00.050");
        builder.UseSetting("Ledger:Daemon:RetryBaseDelay", "00:00:00.002");
        builder.UseSetting("Ledger:Daemon:MaxRetryDelay", "00:00:00.050");
        builder.UseSetting("Ledger:Daemon:MaxAttempts", "3");
        builder.ConfigureServices(services => services.AddSingleton<IAsyncProjection>(new PoisonedByPill()));
    }

    /// <summary>A projection with a bug: it throws on any event whose payload carries the pill.</summary>
    private sealed class PoisonedByPill : IAsyncProjection
    {
        public string Name => PoisonedProjection;

        public IReadOnlyCollection<string>? EventTypes => null;

        public IReadOnlyList<string> Tables => [];

        public Task ApplyAsync(
            IReadOnlyList<RecordedEvent> events,
            AsyncProjectionContext context,
            CancellationToken cancellationToken
        ) =>
            events.Any(e => e.Data.Contains(PoisonPill, StringComparison.Ordinal))
                ? throw new InvalidOperationException("Cannot digest the pill.")
                : Task.CompletedTask;
    }
}
