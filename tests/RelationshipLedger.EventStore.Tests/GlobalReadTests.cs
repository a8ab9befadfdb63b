using RelationshipLedger.Testing;

namespace RelationshipLedger.EventStore.Tests;

public sealed class GlobalReadTests : StoreTestClass
{
    [Fact]
    public async Task Reading_the_log_with_a_types_filter_returns_only_those_types_in_global_order()
    {
        var appended = await AppendMixedHistoryAsync();
        var wanted = appended.Where(e => e.Type is "PurchaseMade" or "NoteAdded").ToList();

        var read = await Eventually.ReturnsAsync(
            () => Store.ReadAllAsync(GlobalPosition.Start, 100, ["PurchaseMade", "NoteAdded"]),
            events => events.Count >= wanted.Count,
            "every purchase and note to be readable"
        );

        Assert.Equal(wanted.Select(e => e.EventId), read.Select(e => e.EventId));
        Assert.Equal(wanted.Select(e => e.Position), read.Select(e => e.Position));
        var onlyNotes = await Store.ReadAllAsync(GlobalPosition.Start, 100, ["NoteAdded"]);
        Assert.Equal(
            appended.Where(e => e.Type == "NoteAdded").Select(e => e.EventId),
            onlyNotes.Select(e => e.EventId)
        );
    }

    [Fact]
    public async Task Reading_the_log_forward_pages_through_every_event_in_global_order()
    {
        var appended = await AppendMixedHistoryAsync();

        var all = await Eventually.ReturnsAsync(
            () => Store.ReadAllForwardAsync(GlobalPosition.Start, pageSize: 4).ToListAsync().AsTask(),
            events => events.Count >= appended.Count,
            "every event to be readable"
        );
        var rest = await Store.ReadAllForwardAsync(appended[5].Position, pageSize: 3).ToListAsync();
        var exactPages = await Store
            .ReadAllForwardAsync(GlobalPosition.Start, pageSize: appended.Count / 2)
            .ToListAsync();

        Assert.Equal(appended.Select(e => e.EventId), all.Select(e => e.EventId));
        Assert.Equal(appended.Skip(6).Select(e => e.EventId), rest.Select(e => e.EventId));
        Assert.Equal(appended.Select(e => e.EventId), exactPages.Select(e => e.EventId));
    }

    /// <summary>Fourteen events of three types over three streams, in separate appends so that global order is append order.</summary>
    private async Task<List<RecordedEvent>> AppendMixedHistoryAsync()
    {
        var appended = new List<RecordedEvent>();
        foreach (var customer in new[] { "c-1", "c-2", "c-3" })
            appended.AddRange(
                (await Store.AppendAsync(customer, ExpectedVersion.NoStream, [new(new AccountOpened(customer))])).Events
            );
        for (var round = 0; round < 4; round++)
        {
            var customer = $"c-{round % 3 + 1}";
            appended.AddRange(
                (
                    await Store.AppendAsync(
                        customer,
                        ExpectedVersion.Any,
                        [TestStores.Purchase($"o-{round}", round + 1m), TestStores.Purchase($"o-{round}b", 2m)]
                    )
                ).Events
            );
            if (round != 1)
                appended.AddRange(
                    (
                        await Store.AppendAsync(customer, ExpectedVersion.Any, [new(new NoteAdded($"note {round}"))])
                    ).Events
                );
        }
        Assert.Equal(14, appended.Count);
        return appended;
    }
}
