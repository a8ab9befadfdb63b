namespace RelationshipLedger.EventStore.Tests;

public sealed class AppendTests : StoreTestClass
{
    [Fact]
    public async Task Appending_to_a_new_stream_numbers_events_from_one_and_reads_them_back()
    {
        var result = await Store.AppendAsync(
            "c-1",
            ExpectedVersion.NoStream,
            [new(new AccountOpened("Acme")), TestStores.Purchase("o-1", 120.50m)]
        );

        Assert.Equal(2, result.StreamVersion);
        var events = await Store.ReadStreamAsync("c-1").ToListAsync();
        Assert.Equal([1L, 2L], events.Select(e => e.Version));
        Assert.Equal(["AccountOpened", "PurchaseMade"], events.Select(e => e.Type));
        Assert.Equal(new PurchaseMade("o-1", 120.50m, "EUR"), Store.Serializer.Envelope(events[1]).Data);
        Assert.Equal(result.Events.Select(e => e.Position), events.Select(e => e.Position));
        Assert.Equal(result.Events.Select(e => e.Hash.ToArray()), events.Select(e => e.Hash.ToArray()));
    }
}
