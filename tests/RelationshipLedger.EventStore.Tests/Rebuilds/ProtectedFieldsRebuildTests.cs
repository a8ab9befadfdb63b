using RelationshipLedger.EventStore.Daemon;
using RelationshipLedger.EventStore.Protection;
using RelationshipLedger.EventStore.Rebuilds;
using RelationshipLedger.Testing;

namespace RelationshipLedger.EventStore.Tests.Rebuilds;

/// <summary>
/// A rebuild's bulk replay on a store with protected fields: revealed for the event types a projection
/// reads them from, as stored (ciphertext) for the others; without reading the keys when there are none.
/// </summary>
public sealed class ProtectedFieldsRebuildTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private EventStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _store = TestStores.CreateProtected(_database, ("NoteAdded", "text"));
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
    [InlineData(null, true)] // every type's, by default
    [InlineData("NoteAdded", true)]
    [InlineData("AccountOpened", false)]
    [InlineData("", false)] // no type's: the keys are not even read
    public async Task The_bulk_reveals_the_protected_fields_of_the_types_a_projection_reads_them_from(
        string? readsProtectedFieldsOf,
        bool notesRevealed
    )
    {
        var live = new LogCopyProjection("copy_notes");
        await live.CreateTableAsync(_database.DataSource);
        await using (var daemon = RunningDaemon.Start(_store, [live]))
            await Eventually.IsTrueAsync(
                async () =>
                    await new ProjectionOperations(_database.DataSource).GetAsync(live.Name) is { LagEvents: 0 },
                "the live model to catch up"
            );
        var rebuilt = new LogCopyProjection("copy_notes")
        {
            ReadsProtectedFieldsOf = readsProtectedFieldsOf?.Split(',', StringSplitOptions.RemoveEmptyEntries),
        };

        await using var rebuild = (await new ProjectionRebuilder(_store).TryStartAsync(rebuilt))!;
        var result = await rebuild.RunAsync();

        Assert.Equal(10, result.EventsDone);
        Assert.True(result.Hashes.MatchesLive);
        var notes = rebuilt.PayloadsApplied.Where(p => p.Contains("\"text\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, notes.Count);
        if (notesRevealed)
            Assert.All(notes, n => Assert.Contains("Prefers calls after", n, StringComparison.Ordinal));
        else
            Assert.All(notes, n => Assert.Contains(PayloadProtection.EnvelopePrefix, n, StringComparison.Ordinal));
        Assert.All(
            live.PayloadsApplied.Where(p => p.Contains("\"text\"", StringComparison.Ordinal)),
            n => Assert.Contains("Prefers calls after", n, StringComparison.Ordinal)
        );
    }
}
