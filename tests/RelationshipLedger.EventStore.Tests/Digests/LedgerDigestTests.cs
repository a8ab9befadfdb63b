using RelationshipLedger.EventStore.Digests;
using RelationshipLedger.Testing;

namespace RelationshipLedger.EventStore.Tests.Digests;

/// <summary>Taking digests: the heads at the readable end of the log, and the comparison of the log with them.</summary>
public sealed class LedgerDigestTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private EventStore _store = null!;
    private LedgerDigests _digests = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _store = TestStores.Create(_database);
        _digests = new LedgerDigests(_database.DataSource);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_digest_holds_every_stream_head_in_id_order_under_their_root()
    {
        await AppendPurchasesAsync("s-b", 3);
        await AppendPurchasesAsync("s-a", 2);
        await _database.WaitUntilLogReadableAsync();

        var digest = await _digests.TakeAsync();
        var heads = await _digests.HeadsAsync(digest.Id);

        Assert.Equal([("s-a", 2L), ("s-b", 3L)], heads.Select(h => (h.StreamId, h.Version)));
        Assert.Equal((await _store.GetStreamAsync("s-a"))!.HeadHash.ToArray(), heads[0].Hash);
        Assert.Equal((2L, 5L), (digest.Streams, digest.Events));
        Assert.Equal(MerkleTree.Root([.. heads.Select(MerkleTree.LeafHash)]), digest.Root);
        Assert.Equal(await _store.GetReadableHeadAsync(), digest.Position);
        Assert.Equal(digest.Id, (await _digests.GetAsync(null))!.Id);
    }

    [Fact]
    public async Task A_digest_leaves_out_what_an_open_transaction_holds_back_from_readers()
    {
        await AppendPurchasesAsync("s-a", 1);
        await _database.WaitUntilLogReadableAsync();
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        await using var open = await connection.BeginTransactionAsync();
        await using (var blocker = new Npgsql.NpgsqlCommand("select pg_current_xact_id()", connection, open))
            await blocker.ExecuteScalarAsync();
        await AppendPurchasesAsync("s-b", 2);

        var digest = await _digests.TakeAsync();

        Assert.Equal(["s-a"], (await _digests.HeadsAsync(digest.Id)).Select(h => h.StreamId));
        await open.RollbackAsync();
        await _database.WaitUntilLogReadableAsync();
        var later = await _digests.TakeAsync();
        Assert.Equal(2, later.Streams);
        Assert.Equal([later.Id, digest.Id], (await _digests.ListAsync(10)).Select(d => d.Id));
    }

    [Fact]
    public async Task The_log_compared_with_a_digest_names_rewritten_truncated_and_removed_streams_only()
    {
        foreach (var stream in new[] { "s-grown", "s-kept", "s-rewritten", "s-truncated", "s-removed" })
            await AppendPurchasesAsync(stream, 3);
        await _database.WaitUntilLogReadableAsync();
        var digest = await _digests.TakeAsync();
        await AppendPurchasesAsync("s-grown", 2, from: 4);
        await _database.TamperAsync(
            "delete from ledger.events where stream_id in ('s-rewritten', 's-removed'); "
                + "delete from ledger.streams where id in ('s-rewritten', 's-removed'); "
                + "delete from ledger.events where stream_id = 's-truncated' and version = 3"
        );
        await AppendPurchasesAsync("s-rewritten", 3, amount: 1m);

        var discrepancies = await new DigestComparison(_database.DataSource).CompareAsync(
            await _digests.HeadsAsync(digest.Id)
        );

        Assert.Equal(
            [
                ("s-removed", DigestDiscrepancyKind.Removed),
                ("s-rewritten", DigestDiscrepancyKind.Rewritten),
                ("s-truncated", DigestDiscrepancyKind.Truncated),
            ],
            discrepancies.Select(d => (d.StreamId, d.Kind))
        );
    }

    private async Task AppendPurchasesAsync(string stream, int count, int from = 1, decimal amount = 10m)
    {
        var events = Enumerable
            .Range(from, count)
            .Select(i => TestStores.Purchase($"{stream}-o{i}", amount + i))
            .ToList();
        await _store.AppendAsync(
            stream,
            from == 1 ? ExpectedVersion.NoStream : ExpectedVersion.Exactly(from - 1),
            events
        );
    }
}
