using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RelationshipLedger.Api.Security;
using RelationshipLedger.Application.Security;
using RelationshipLedger.EventStore.Digests;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Api.Tests.AuditPage;

/// <summary>
/// The API listening on a real loopback port (Kestrel, port chosen by the system) over an empty
/// database of the test cluster, with keys of the roles the page's tests need, and a headless
/// Debian Chromium driven by Playwright.
/// </summary>
public sealed class AuditPageFixture : IAsyncLifetime
{
    /// <summary>The name of the recorder key that records <see cref="AuditedHistory"/>: the events' actor.</summary>
    public const string RecorderName = "order-desk";

    private readonly string _bootstrapKey = $"rlk_test_{Guid.NewGuid():N}";
    private TestDatabase? _database;
    private LedgerApiFactory? _factory;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private Task<AuditedHistory>? _history;

    /// <summary>Where the API listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; private set; } = null!;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Not started.");

    /// <summary>A key with the auditor role: what the page is for.</summary>
    public string AuditorKey { get; private set; } = "";

    /// <summary>A key with the reader role only: it may not read events, timelines or verifications.</summary>
    public string ReaderKey { get; private set; } = "";

    /// <summary>Every role; used to look at what the page should show.</summary>
    public HttpClient Bootstrap { get; private set; } = null!;

    /// <summary>
    /// A digest of the whole log taken now, exported as <c>ledger digest export</c> writes it (signed by a
    /// fresh P-256 key) to a file of its own: what an auditor keeps outside the database.
    /// </summary>
    public async Task<string> ExportDigestFileAsync()
    {
        var database = _database ?? throw new InvalidOperationException("Not started.");
        await database.WaitUntilLogReadableAsync();
        var digests = new LedgerDigests(database.DataSource);
        var digest = await digests.TakeAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var path = Path.Combine(Directory.CreateTempSubdirectory("audit-digest-").FullName, "digest.json");
        await File.WriteAllTextAsync(
            path,
            SignedDigest.Sign(digest, await digests.HeadsAsync(digest.Id), key).ToJson()
        );
        return path;
    }

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(migrated: false);
        _factory = OnRealPort(_database.ConnectionString, _bootstrapKey);
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        Address = new Uri(addresses!.Addresses.Single());
        Bootstrap = ClientWithKey(_bootstrapKey);
        var keys = _factory.Services.GetRequiredService<ApiKeyStore>();
        AuditorKey = await keys.CreateAsync("ana-the-auditor", [Roles.Auditor]);
        ReaderKey = await keys.CreateAsync("rui-the-reader", [Roles.Reader]);

        var chromium = await Chromium.FindOrInstallAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(
            new BrowserTypeLaunchOptions
            {
                ExecutablePath = chromium,
                Headless = true,
                Args = Chromium.Arguments,
            }
        );
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_factory is not null)
            await _factory.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
    }

    /// <summary>The history the page's tests read, recorded once by a recorder key named <see cref="RecorderName"/>.</summary>
    public Task<AuditedHistory> HistoryAsync() => _history ??= RecordHistoryAsync();

    /// <summary>A fresh browser context (its own session storage) with a page of the API's size.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(
            new BrowserNewContextOptions
            {
                BaseURL = Address.ToString(),
                ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
                TimezoneId = "UTC",
            }
        );
        return await context.NewPageAsync();
    }

    /// <summary>The API as an operator runs it, on a loopback port the system picks (so runs never collide).</summary>
    private static LedgerApiFactory OnRealPort(string connectionString, string bootstrapKey)
    {
        var factory = new LedgerApiFactory(
            new Dictionary<string, string>
            {
                ["ConnectionStrings:Ledger"] = connectionString,
                [BootstrapKey.Setting] = bootstrapKey,
                [WebHostDefaults.ServerUrlsKey] = "http://127.0.0.1:0",
            }
        );
        factory.UseKestrel();
        factory.StartServer();
        return factory;
    }

    private async Task<AuditedHistory> RecordHistoryAsync()
    {
        var keys = _factory!.Services.GetRequiredService<ApiKeyStore>();
        using var recorder = ClientWithKey(await keys.CreateAsync(RecorderName, [Roles.Recorder]));
        return await AuditedHistory.RecordAsync(recorder, Bootstrap);
    }

    private HttpClient ClientWithKey(string key)
    {
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
