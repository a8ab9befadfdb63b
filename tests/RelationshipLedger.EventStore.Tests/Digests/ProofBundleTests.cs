using System.Security.Cryptography;
using RelationshipLedger.EventStore.Digests;
using RelationshipLedger.Testing;

namespace RelationshipLedger.EventStore.Tests.Digests;

/// <summary>A customer's proof bundle verifies offline, and no byte of it can change without it failing.</summary>
public sealed class ProofBundleTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private EventStore _store = null!;
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _store = TestStores.Create(_database);
        foreach (var stream in new[] { "b-1", "b-2", "b-3", "b-4", "b-5" })
            await _store.AppendAsync(
                stream,
                ExpectedVersion.NoStream,
                [new(new AccountOpened($"Zoë ✓ {stream}")), TestStores.Purchase($"{stream}-o", 12.5m)]
            );
    }

    public async Task DisposeAsync()
    {
        _key.Dispose();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_bundle_verifies_with_and_without_the_pinned_key_but_not_with_another()
    {
        var text = (await BundleAsync("b-3", appendedAfterDigest: true)).ToJson();
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var (bundle, problem) = ProofBundle.Verify(text, _key);

        Assert.Null(problem);
        Assert.Equal(("b-3", 3, 2L), (bundle!.StreamId, bundle.Events.Count, bundle.Included.HeadVersion));
        Assert.Null(ProofBundle.Verify(text, null).Problem);
        Assert.Contains("another key", ProofBundle.Verify(text, other).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changing_any_byte_of_a_bundle_makes_it_fail()
    {
        var text = (await BundleAsync("b-2", appendedAfterDigest: false)).ToJson();
        Assert.True(text.All(char.IsAscii), "the bundle escapes everything beyond ASCII");

        var passed = new List<int>();
        for (var i = 0; i < text.Length; i++)
        {
            var changed = string.Concat(text.AsSpan(0, i), [(char)(text[i] ^ 0x01)], text.AsSpan(i + 1));
            if (ProofBundle.Verify(changed, _key).Problem is null)
                passed.Add(i);
        }

        Assert.Empty(passed);
    }

    [Fact]
    public async Task A_bundle_whose_events_were_rewritten_with_a_recomputed_chain_is_not_included_in_the_digest()
    {
        var honest = await BundleAsync("b-4", appendedAfterDigest: false);
        await _database.TamperAsync(
            "delete from ledger.events where stream_id = 'b-4'; delete from ledger.streams where id = 'b-4'"
        );
        await _store.AppendAsync(
            "b-4",
            ExpectedVersion.NoStream,
            [new(new AccountOpened("Forged")), TestStores.Purchase("b-4-o", 1m)]
        );
        var events = await ReadAsync("b-4");
        var forgedHead = new StreamHead("b-4", 2, events[1].Hash.ToArray());
        // The forger rebuilds the bundle around the new chain, keeping the genuine signed digest and place.
        var forged = ProofBundle.Create("b-4", events, honest.Digest, [forgedHead]) with
        {
            Included = honest.Included with { HeadHash = Convert.ToHexStringLower(forgedHead.Hash) },
        };

        Assert.Contains("not included", ProofBundle.Verify(forged.ToJson(), _key).Problem, StringComparison.Ordinal);
        Assert.Null(ProofBundle.Verify(honest.ToJson(), _key).Problem);
    }

    private async Task<ProofBundle> BundleAsync(string stream, bool appendedAfterDigest)
    {
        var digests = new LedgerDigests(_database.DataSource);
        await _database.WaitUntilLogReadableAsync();
        var digest = await digests.TakeAsync();
        if (appendedAfterDigest)
            await _store.AppendAsync(stream, ExpectedVersion.Exactly(2), [TestStores.Purchase($"{stream}-late", 1m)]);
        var heads = await digests.HeadsAsync(digest.Id);
        return ProofBundle.Create(stream, await ReadAsync(stream), SignedDigest.Sign(digest, [], _key), heads);
    }

    private async Task<IReadOnlyList<RecordedEvent>> ReadAsync(string stream)
    {
        var events = new List<RecordedEvent>();
        await foreach (var recorded in _store.ReadStreamAsync(stream))
            events.Add(recorded);
        return events;
    }
}
