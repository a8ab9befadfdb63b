using RelationshipLedger.EventStore.Integrity;
using RelationshipLedger.Testing;

namespace RelationshipLedger.EventStore.Tests;

public sealed class RacingAppendTests : IAsyncLifetime
{
    private const int Appenders = 12;
    private const int AppendsEach = 15;

    private TestDatabase _database = null!;
    private EventStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _store = TestStores.Create(_database);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Appenders_racing_on_one_stream_leave_dense_versions_a_valid_chain_and_recorded_at_never_going_back()
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var appenders = Enumerable
            .Range(0, Appenders)
            .Select(async appender =>
            {
                await start.Task;
                for (var append = 0; append < AppendsEach; append++)
                {
                    var batch =
                        append % 3 == 0
                            ? new[]
                            {
                                TestStores.Purchase($"o-{appender}-{append}-a", 1m),
                                TestStores.Purchase($"o-{appender}-{append}-b", 2m),
                            }
                            : new[] { TestStores.Purchase($"o-{appender}-{append}", 3m) };
                    await _store.AppendAsync("c-contended", ExpectedVersion.Any, batch);
                }
            })
            .ToArray();
        start.SetResult();
        await Task.WhenAll(appenders);

        var stored = await _store.ReadStreamAsync("c-contended").ToListAsync();
        var expectedEvents = Appenders * (AppendsEach + (AppendsEach + 2) / 3);
        Assert.Equal(Enumerable.Range(1, expectedEvents).Select(v => (long)v), stored.Select(e => e.Version));
        Assert.True(
            stored.Zip(stored.Skip(1)).All(pair => pair.First.RecordedAt <= pair.Second.RecordedAt),
            "recorded_at went backwards within the stream"
        );
        var verification = await new ChainVerifier(_store).VerifyStreamAsync("c-contended");
        Assert.True(verification.Valid, verification.FirstBroken?.Reason);
    }

    [Fact]
    public async Task Appenders_racing_to_create_a_stream_with_any_version_all_succeed()
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var appenders = Enumerable
            .Range(0, Appenders)
            .Select(async appender =>
            {
                await start.Task;
                return await _store.AppendAsync(
                    "c-born-racing",
                    ExpectedVersion.Any,
                    [TestStores.Purchase($"o-{appender}", 1m)]
                );
            })
            .ToArray();
        start.SetResult();
        var results = await Task.WhenAll(appenders);

        Assert.Equal(Enumerable.Range(1, Appenders).Select(v => (long)v), results.Select(r => r.StreamVersion).Order());
        var verification = await new ChainVerifier(_store).VerifyStreamAsync("c-born-racing");
        Assert.True(verification.Valid, verification.FirstBroken?.Reason);
        Assert.Equal(Appenders, verification.Events);
    }
}
