using RelationshipLedger.EventStore.Daemon;
using RelationshipLedger.EventStore.Protection;
using RelationshipLedger.EventStore.Rebuilds;
using RelationshipLedger.EventStore.Serialization;
using RelationshipLedger.Testing;

namespace RelationshipLedger.EventStore.Tests.Rebuilds;

/// <summary>
/// A rebuild's bulk replay on a store with protected fields: revealed for a projection that reads them,
/// as stored (ciphertext, no key read) for one that says it reads none.
/// </summary>
public sealed class ProtectedFieldsRebuildTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private EventStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        var protection = new PayloadProtection(
            new Dictionary<string, IReadOnlyList<ProtectedField>> { ["NoteAdded"] = [new(["text"], "[erased]")] }
        );
        _store = new EventStore(
            _database.DataSource,
            new EventStoreOptions { Serializer = new EventSerializer(TestStores.Types(), protection: protection) }
        );
        for (var s = 0; s < 5; s++)
            await _store.AppendAsync(
                $"account-{s}",
                ExpectedVersion.NoStream,
                [new EventToAppend(new NoteAdded($"Prefers calls after {s} pm")), TestStores.Purchase($"o-{s}", 10m)]
            );
        await _database.WaitUntilLogReadableAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_bulk_reveals_protected_fields_only_for_a_projection_that_reads_them(bool readsProtectedFields)
    {
        var live = new LogCopyProjection("copy_notes");
        await live.CreateTableAsync(_database.DataSource);
        await using (var daemon = RunningDaemon.Start(_store, [live]))
            await Eventually.IsTrueAsync(
                async () =>
                    await new ProjectionOperations(_database.DataSource).GetAsync(live.Name) is { LagEvents: 0 },
                "the live model to catch up"
            );
        var rebuilt = new LogCopyProjection("copy_notes") { ReadsProtectedFields = readsProtectedFields };

        await using var rebuild = (await new ProjectionRebuilder(_store).TryStartAsync(rebuilt))!;
        var result = await rebuild.RunAsync();

        Assert.Equal(10, result.EventsDone);
        Assert.True(result.Hashes.MatchesLive);
        var notes = rebuilt.PayloadsApplied.Where(p => p.Contains("\"text\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, notes.Count);
        if (readsProtectedFields)
            Assert.All(notes, n => Assert.Contains("Prefers calls after", n, StringComparison.Ordinal));
        else
            Assert.All(notes, n => Assert.Contains(PayloadProtection.EnvelopePrefix, n, StringComparison.Ordinal));
        Assert.All(
            live.PayloadsApplied.Where(p => p.Contains("\"text\"", StringComparison.Ordinal)),
            n => Assert.Contains("Prefers calls after", n, StringComparison.Ordinal)
        );
    }
}
