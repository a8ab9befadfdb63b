using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using RelationshipLedger.Application.Security;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Projections;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Api.Tests.Operations;

/// <summary>
/// The API with its daemon tuned to poll, retry and give up quickly, and one more projection beside
/// the ledger's: <see cref="PoisonedProjection"/>, which fails on any event carrying <see cref="PoisonPill"/>.
/// </summary>
public sealed class DaemonApiFixture : IAsyncLifetime
{
    public const string PoisonPill = "poison-pill";
    public const string PoisonedProjection = "poisoned_by_pill";

    private readonly string _bootstrapKey = $"rlk_test_{Guid.NewGuid():N}";
    private TestDatabase? _database;
    private WebApplicationFactory<Program>? _factory;

    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("Not started.");

    /// <summary>Every role (bootstrap key).</summary>
    public HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(migrated: false);
        _factory = LedgerApiFactory
            .WithDatabase(_database.ConnectionString, _bootstrapKey)
            .WithWebHostBuilder(builder =>
            {
                builder.UseSetting("Ledger:Daemon:NodeName", "api-under-test");
                builder.UseSetting("Ledger:Daemon:PollInterval", "00:00:00.100");
                builder.UseSetting("Ledger:Daemon:StandbyRetryInterval", "00:00:00.050");
                builder.UseSetting("Ledger:Daemon:RetryBaseDelay", "00:00:00.002");
                builder.UseSetting("Ledger:Daemon:MaxRetryDelay", "00:00:00.050");
                builder.UseSetting("Ledger:Daemon:MaxAttempts", "3");
                builder.ConfigureServices(services => services.AddSingleton<IAsyncProjection>(new PoisonedByPill()));
            });
        Admin = ClientWithKey(_bootstrapKey);
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
            await _factory.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
    }

    public async Task<HttpClient> ClientWithRolesAsync(string name, params string[] roles)
    {
        var keys = Factory.Services.GetRequiredService<ApiKeyStore>();
        return ClientWithKey(await keys.CreateAsync(name, roles));
    }

    public HttpClient Anonymous() => Factory.CreateClient();

    private HttpClient ClientWithKey(string key)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
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
