using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RelationshipLedger.Application.Security;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Api.Tests.Support;

/// <summary>
/// One API for a test class: an empty database of the test cluster (the API migrates it on start),
/// the real pipeline with a bootstrap key, and clients that authenticate as keys of given roles.
/// xunit runs a class's tests one after another, so a test may count every event in the database.
/// </summary>
public sealed class LedgerApiFixture : IAsyncLifetime
{
    /// <summary>The name of the recorder key that <see cref="Recorder"/> uses, and so the actor of what it appends.</summary>
    public const string RecorderName = "order-desk";

    private readonly string _bootstrapKey = $"rlk_test_{Guid.NewGuid():N}";
    private TestDatabase? _database;
    private LedgerApiFactory? _factory;
    private Task<ScriptedHistory>? _history;

    public TestDatabase Database => _database ?? throw NotStarted();

    public LedgerApiFactory Factory => _factory ?? throw NotStarted();

    /// <summary>The bootstrap key: every role, actor <c>bootstrap</c>. Used to look at what a test did.</summary>
    public HttpClient Bootstrap { get; private set; } = null!;

    /// <summary>A key with the <c>recorder</c> role only, named <see cref="RecorderName"/>.</summary>
    public HttpClient Recorder { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(migrated: false);
        _factory = LedgerApiFactory.WithDatabase(_database.ConnectionString, _bootstrapKey);
        Bootstrap = ClientWithKey(_bootstrapKey);
        Recorder = await ClientWithRolesAsync(RecorderName, Roles.Recorder);
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
            await _factory.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
    }

    /// <summary>
    /// The <see cref="ScriptedHistory"/> of this class's tests, recorded by the first test that asks.
    /// Tests that only read it share it; a test that changes a stream records its own.
    /// </summary>
    public Task<ScriptedHistory> HistoryAsync() => _history ??= ScriptedHistory.RecordAsync(Bootstrap, "scripted");

    /// <summary>A client whose requests carry a new key named <paramref name="name"/> with <paramref name="roles"/>.</summary>
    public async Task<HttpClient> ClientWithRolesAsync(string name, params string[] roles)
    {
        var keys = Factory.Services.GetRequiredService<ApiKeyStore>();
        return ClientWithKey(await keys.CreateAsync(name, roles));
    }

    /// <summary>A client without any key.</summary>
    public HttpClient Anonymous() => Factory.CreateClient();

    public HttpClient ClientWithKey(string key)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>How much the log holds: the customer's events (as an auditor reads them) and every event in the database.</summary>
    public async Task<LogMark> MarkAsync(string customerId)
    {
        var response = await Bootstrap.GetAsync($"/customers/{Uri.EscapeDataString(customerId)}/events");
        var streamEvents = 0;
        string? etag = null;
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            streamEvents = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength();
            etag = response.Headers.ETag?.Tag;
        }
        await using var command = Database.DataSource.CreateCommand("select count(*) from ledger.events");
        var allEvents = (long)(await command.ExecuteScalarAsync())!;
        return new LogMark(streamEvents, etag, allEvents);
    }

    /// <summary>Asserts that nothing was appended since <paramref name="before"/>, to the customer's stream or any other.</summary>
    public async Task AssertNothingAppendedAsync(string customerId, LogMark before) =>
        Assert.Equal(before, await MarkAsync(customerId));

    private static InvalidOperationException NotStarted() => new("The fixture has not been initialized.");
}

/// <summary>The size of the log at a moment: a customer's stream (event count and ETag) and the whole database.</summary>
public sealed record LogMark(int StreamEvents, string? StreamETag, long AllEvents);
