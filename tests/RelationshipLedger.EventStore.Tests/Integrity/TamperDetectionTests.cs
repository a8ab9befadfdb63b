using RelationshipLedger.EventStore.Integrity;
using RelationshipLedger.Testing;

namespace RelationshipLedger.EventStore.Tests.Integrity;

public sealed class TamperDetectionTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private EventStore _store = null!;
    private ChainVerifier _verifier = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _store = TestStores.Create(_database);
        _verifier = new ChainVerifier(_store);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task An_untampered_log_verifies_stream_by_stream_and_as_a_whole()
    {
        foreach (var customer in new[] { "c-1", "c-2", "c-3" })
            await SeedCustomerAsync(customer);

        var whole = await _verifier.VerifyAllAsync();
        var one = await _verifier.VerifyStreamAsync("c-2");

        Assert.True(whole.Valid, string.Join("; ", whole.Broken));
        Assert.Equal((3L, 12L), (whole.Streams, whole.Events));
        Assert.True(one.Valid, one.FirstBroken?.Reason);
        Assert.Equal(4, one.Events);
    }

    [Theory]
    [InlineData(
        "update ledger.events set data = jsonb_set(data, '{orderId}', '\"o-9\"') where stream_id = 'c-1' and version = 3",
        3,
        "does not match its hash"
    )]
    [InlineData("delete from ledger.events where stream_id = 'c-1' and version = 2", 2, "version 2 is missing")]
    [InlineData(
        "update ledger.events set version = 100 where stream_id = 'c-1' and version = 2; "
            + "update ledger.events set version = 2 where stream_id = 'c-1' and version = 3; "
            + "update ledger.events set version = 3 where stream_id = 'c-1' and version = 100",
        2,
        "does not match its hash"
    )]
    [InlineData(
        "update ledger.events e set data = o.data, type = o.type from ledger.events o "
            + "where e.stream_id = 'c-1' and o.stream_id = 'c-1' and e.version + o.version = 5 and e.version in (2, 3)",
        2,
        "does not match its hash"
    )]
    [InlineData(
        "delete from ledger.events where stream_id = 'c-1' and version = 4",
        4,
        "the stream's head says version 4 but the last stored event is version 3"
    )]
    [InlineData(
        "update ledger.streams set head_hash = sha256('forged') where id = 'c-1'",
        4,
        "head's hash does not match"
    )]
    [InlineData("delete from ledger.streams where id = 'c-1'", 1, "has events but no head row")]
    public async Task Tampering_with_a_stream_is_reported_at_the_first_broken_version(
        string tampering,
        long brokenVersion,
        string reason
    )
    {
        await SeedCustomerAsync("c-1");
        Assert.True((await _verifier.VerifyStreamAsync("c-1")).Valid);

        await _database.TamperAsync(tampering);
        var verification = await _verifier.VerifyStreamAsync("c-1");

        Assert.False(verification.Valid);
        Assert.Equal("c-1", verification.FirstBroken!.StreamId);
        Assert.Equal(brokenVersion, verification.FirstBroken.Version);
        Assert.Contains(reason, verification.FirstBroken.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verifying_the_whole_log_reports_exactly_the_broken_streams_and_counts_everything()
    {
        foreach (var customer in new[] { "c-a", "c-b", "c-c", "c-d", "c-e", "c-f" })
            await SeedCustomerAsync(customer);

        await _database.TamperAsync("delete from ledger.events where stream_id = 'c-b' and version = 2");
        await _database.TamperAsync(
            "update ledger.events set data = jsonb_set(data, '{amount}', '2000') where stream_id = 'c-d' and version = 3"
        );
        await _database.TamperAsync("update ledger.streams set head_hash = sha256('forged') where id = 'c-f'");
        var report = await _verifier.VerifyAllAsync();

        Assert.False(report.Valid);
        Assert.Equal((6L, 23L), (report.Streams, report.Events));
        Assert.Equal([("c-b", 2L), ("c-d", 3L), ("c-f", 4L)], report.Broken.Select(b => (b.StreamId, b.Version)));
        Assert.Contains("version 2 is missing", report.Broken[0].Reason, StringComparison.Ordinal);
        Assert.Contains("does not match its hash", report.Broken[1].Reason, StringComparison.Ordinal);
        Assert.Contains("head's hash does not match", report.Broken[2].Reason, StringComparison.Ordinal);
    }

    /// <summary>Four events in two appends, with text the canonical form must carry exactly: non-ASCII, metadata, an instant before 2000.</summary>
    private async Task SeedCustomerAsync(string customer)
    {
        await _store.AppendAsync(
            customer,
            ExpectedVersion.NoStream,
            [
                new(new AccountOpened($"Zoë & Søn ✓ {customer}"))
                {
                    OccurredAt = new DateTimeOffset(1999, 12, 31, 23, 59, 59, 500, TimeSpan.FromHours(2)),
                    Metadata = new EventMetadata
                    {
                        Actor = "clerk",
                        Headers = new Dictionary<string, string> { ["request"] = "r-1" },
                    },
                },
                TestStores.Purchase("o-1", 12.50m),
            ]
        );
        await _store.AppendAsync(
            customer,
            ExpectedVersion.Exactly(2),
            [TestStores.Purchase("o-2", 99.99m), new(new NoteAdded("\"quoted\"\n"))]
        );
    }
}
