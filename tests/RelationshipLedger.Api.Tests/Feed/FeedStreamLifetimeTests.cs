using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RelationshipLedger.Api.Security;
using RelationshipLedger.Api.Tests.Support;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Api.Tests.Feed;

/// <summary>
/// What a stream does while nothing becomes readable: it reads again now and then and sends
/// keep-alive comments, it waits for an open append rather than sending later events first, and it
/// ends cleanly when the host stops. Each test runs an API of its own, whose feed reads again after
/// 200 ms of silence.
/// </summary>
public sealed class FeedStreamLifetimeTests
{
    [Fact]
    public async Task An_idle_stream_sends_keep_alive_comments_and_still_delivers_what_comes()
    {
        await using var api = await OwnApi.StartAsync();
        await using var stream = await EventStreamClient.OpenAsync(api.Client, "/events/stream");
        var id = LedgerHttp.NewCustomerId("quiet");

        // A keep-alive arrives while nothing is appended; the registration then arrives after it.
        var registering = Task.Run(async () =>
        {
            await Eventually.IsTrueAsync(() => Task.FromResult(stream.Comments.Count > 0), "a keep-alive comment");
            return await api.Client.RegisterAsync(id);
        });
        var message = await stream.NextAsync();
        var registered = await registering;

        Assert.Equal(registered.EventIds[0], message!.EventId);
        Assert.Contains(": keep-alive", stream.Comments);
    }

    [Fact]
    public async Task An_event_that_commits_late_is_sent_before_the_later_ones_that_committed_first()
    {
        await using var api = await OwnApi.StartAsync();
        await api.Client.RegisterAsync(LedgerHttp.NewCustomerId("before"));
        await using var stream = await EventStreamClient.OpenAsync(api.Client, "/events/stream");
        Assert.NotNull(await stream.NextAsync());
        var next = stream.NextAsync();
        RawEvent held;
        RawEvent later;
        await using (var connection = await api.Database.DataSource.OpenConnectionAsync())
        {
            await using var transaction = await connection.BeginTransactionAsync();
            held = await RawAppend.AppendAsync(connection, transaction, LedgerHttp.NewCustomerId("late"));
            later = (await RawAppend.CommitManyAsync(api.Database.DataSource, LedgerHttp.NewCustomerId("early"), 1))[0];

            // Each keep-alive follows a read that found nothing: the second one's read began after the early commit.
            var seen = stream.Comments.Count;
            await Eventually.IsTrueAsync(
                () =>
                {
                    Assert.False(next.IsCompleted, "an event was sent while the append before it was still open");
                    return Task.FromResult(stream.Comments.Count >= seen + 2);
                },
                "the stream to read twice while the early event waits behind the open append"
            );
            await transaction.CommitAsync();
        }

        var sent = new[] { await next, await stream.NextAsync() };

        Assert.True(held.Position < later.Position);
        Assert.Equal([held.EventId, later.EventId], sent.Select(m => m!.EventId));
    }

    [Fact]
    public async Task Stopping_the_host_ends_an_open_stream()
    {
        await using var api = await OwnApi.StartAsync();
        await api.Client.RegisterAsync(LedgerHttp.NewCustomerId("stopping"));
        await using var stream = await EventStreamClient.OpenAsync(api.Client, "/events/stream");
        Assert.NotNull(await stream.NextAsync());

        api.Factory.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        Assert.Empty(await stream.ReadToEndAsync());
    }

    /// <summary>An API on a database of its own whose feed reads again after 200 ms of silence.</summary>
    private sealed class OwnApi : IAsyncDisposable
    {
        private OwnApi(TestDatabase database, LedgerApiFactory factory, HttpClient client)
        {
            Database = database;
            Factory = factory;
            Client = client;
        }

        public TestDatabase Database { get; }

        public LedgerApiFactory Factory { get; }

        public HttpClient Client { get; }

        public static async Task<OwnApi> StartAsync()
        {
            var key = $"rlk_test_{Guid.NewGuid():N}";
            var database = await TestDatabase.CreateAsync(migrated: false);
            var factory = new LedgerApiFactory(
                new Dictionary<string, string>
                {
                    ["ConnectionStrings:Ledger"] = database.ConnectionString,
                    [BootstrapKey.Setting] = key,
                    ["Feed:IdleInterval"] = "00:00:00.200",
                }
            );
            var client = factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", key);
            return new OwnApi(database, factory, client);
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Factory.DisposeAsync();
            await Database.DisposeAsync();
        }
    }
}
