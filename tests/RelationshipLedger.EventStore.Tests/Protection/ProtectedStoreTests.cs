using Npgsql;
using RelationshipLedger.EventStore.Integrity;
using RelationshipLedger.EventStore.Protection;
using RelationshipLedger.Testing;

namespace RelationshipLedger.EventStore.Tests.Protection;

/// <summary>The store with a protection: encrypted at rest, revealed on read, shredded by erasing the key.</summary>
public sealed class ProtectedStoreTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private EventStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _store = TestStores.CreateProtected(_database, ("AccountOpened", "name"), ("NoteAdded", "text"));
        await _store.AppendAsync(
            "acme",
            ExpectedVersion.NoStream,
            [
                new EventToAppend(new AccountOpened("Ada Lovelace")),
                TestStores.Purchase("o-1", 120m),
                new EventToAppend(new NoteAdded("Prefers calls after 5 pm")),
            ]
        );
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    /// <summary>The global log, once every event appended so far is readable (another test's open transaction may hold it back).</summary>
    private async Task<IEnumerable<string>> ReadAllDescribedAsync()
    {
        await _database.WaitUntilLogReadableAsync();
        return (await _store.ReadAllAsync(GlobalPosition.Start, 10)).Select(Describe);
    }

    [Fact]
    public async Task Personal_fields_are_encrypted_at_rest_and_read_back_in_the_clear()
    {
        var stored = await StoredDataAsync("acme");

        Assert.DoesNotContain(stored, d => d.Contains("Lovelace", StringComparison.Ordinal));
        Assert.DoesNotContain(stored, d => d.Contains("5 pm", StringComparison.Ordinal));
        Assert.Contains(stored, d => d.Contains("\"o-1\"", StringComparison.Ordinal));
        Assert.Equal(["Ada Lovelace", "o-1", "Prefers calls after 5 pm"], await ReadAsync(StreamReadOptions.All));
        Assert.Equal(["Ada Lovelace", "o-1", "Prefers calls after 5 pm"], await ReadAllDescribedAsync());
    }

    [Fact]
    public async Task Erasing_the_key_makes_the_fields_read_as_erased_everywhere_while_every_chain_still_verifies()
    {
        var before = await StoredDataAsync("acme");

        await _store.EraseStreamKeyAsync("acme");

        Assert.Equal(before, await StoredDataAsync("acme"));
        Assert.Equal(["[erased]", "o-1", "[erased]"], await ReadAsync(StreamReadOptions.All));
        Assert.Equal(["[erased]", "o-1", "[erased]"], await ReadAllDescribedAsync());
        var verifier = new ChainVerifier(_store);
        Assert.True((await verifier.VerifyStreamAsync("acme")).Valid);
        Assert.True((await verifier.VerifyAllAsync()).Valid);
    }

    [Fact]
    public async Task After_erasure_new_personal_values_are_refused_with_nothing_appended_and_business_facts_still_append()
    {
        await _store.EraseStreamKeyAsync("acme");

        await Assert.ThrowsAsync<StreamErasedException>(() =>
            _store.AppendAsync("acme", ExpectedVersion.Exactly(3), [new EventToAppend(new NoteAdded("new secret"))])
        );
        var appended = await _store.AppendAsync("acme", ExpectedVersion.Exactly(3), [TestStores.Purchase("o-2", 5m)]);

        Assert.Equal(4, appended.StreamVersion);
        Assert.DoesNotContain(await StoredDataAsync("acme"), d => d.Contains("new secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reading_as_stored_gives_the_ciphertext_the_chain_covers()
    {
        var asStored = new List<string>();
        await foreach (var recorded in _store.ReadStreamAsync("acme", StreamReadOptions.Stored))
            asStored.Add(recorded.Data);

        Assert.Equal(await StoredDataAsync("acme"), asStored);
        Assert.Contains(PayloadProtection.EnvelopePrefix, asStored[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Erasing_a_stream_that_never_had_a_key_is_remembered_and_repeating_it_keeps_the_first_instant()
    {
        var first = await _store.EraseStreamKeyAsync("no-key-yet");
        var again = await _store.EraseStreamKeyAsync("no-key-yet");

        Assert.Equal(first, again);
        await Assert.ThrowsAsync<StreamErasedException>(() =>
            _store.AppendAsync("no-key-yet", ExpectedVersion.Any, [new EventToAppend(new AccountOpened("Someone"))])
        );
    }

    private async Task<List<string>> ReadAsync(StreamReadOptions options)
    {
        var described = new List<string>();
        await foreach (var recorded in _store.ReadStreamAsync("acme", options))
            described.Add(Describe(recorded));
        return described;
    }

    private string Describe(RecordedEvent recorded) =>
        _store.Serializer.Deserialize(recorded.Type, recorded.Data) switch
        {
            AccountOpened opened => opened.Name,
            PurchaseMade purchase => purchase.OrderId,
            NoteAdded note => note.Text,
            var other => other.ToString()!,
        };

    private async Task<List<string>> StoredDataAsync(string streamId)
    {
        await using var command = _database.DataSource.CreateCommand(
            "select data::text from ledger.events where stream_id = $1 order by version"
        );
        command.Parameters.AddWithValue(streamId);
        var data = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            data.Add(reader.GetString(0));
        return data;
    }
}
