using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using RelationshipLedger.Application.Security;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Api.Tests.Support;

/// <summary>
/// The API on an empty database of its own, with settings or services a subclass adds in
/// <see cref="Configure"/> (a faster daemon, a schedule, one more projection), and clients by key.
/// </summary>
public abstract class ConfiguredApiFixture : IAsyncLifetime
{
    private readonly string _bootstrapKey = $"rlk_test_{Guid.NewGuid():N}";
    private TestDatabase? _database;
    private WebApplicationFactory<Program>? _factory;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Not started.");

    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("Not started.");

    /// <summary>Every role (bootstrap key).</summary>
    public HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(migrated: false);
        _factory = LedgerApiFactory
            .WithDatabase(_database.ConnectionString, _bootstrapKey)
            .WithWebHostBuilder(Configure);
        Admin = ClientWithKey(_bootstrapKey);
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
            await _factory.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
    }

    /// <summary>A client whose requests carry a new key named <paramref name="name"/> with <paramref name="roles"/>.</summary>
    public async Task<HttpClient> ClientWithRolesAsync(string name, params string[] roles)
    {
        var keys = Factory.Services.GetRequiredService<ApiKeyStore>();
        return ClientWithKey(await keys.CreateAsync(name, roles));
    }

    /// <summary>A client without any key.</summary>
    public HttpClient Anonymous() => Factory.CreateClient();

    /// <summary>What this fixture's API runs with beside the database and the bootstrap key.</summary>
    protected abstract void Configure(IWebHostBuilder builder);

    private HttpClient ClientWithKey(string key)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
