using System.Text.Json.Nodes;
using RelationshipLedger.EventStore.Serialization;

namespace RelationshipLedger.EventStore.Tests.Serialization;

/// <summary>Shapes of <see cref="AccountOpened"/> that older releases stored, and an event only a newer release knows.</summary>
public sealed record AccountOpenedV1(string CustomerName);

public sealed record AccountOpenedV2(string LegalName, string Segment);

public sealed record LoyaltyTierChanged(string Tier, int Points);

public sealed record NotAnEvent(string Anything);

public sealed class SerializationTests : StoreTestClass
{
    [Fact]
    public async Task An_event_whose_type_name_is_not_registered_reads_back_as_an_UnknownEvent_with_its_raw_json()
    {
        var newer = StoreWith(TestStores.Types().Register<LoyaltyTierChanged>("LoyaltyTierChanged"));
        await newer.AppendAsync(
            "c-1",
            ExpectedVersion.NoStream,
            [new(new AccountOpened("Acme")), new(new LoyaltyTierChanged("gold", 1200))]
        );

        var stored = await Store.ReadStreamAsync("c-1").ToListAsync();
        var unknown = Assert.IsType<UnknownEvent>(Store.Serializer.Envelope(stored[1]).Data);

        Assert.Equal("LoyaltyTierChanged", unknown.Type);
        Assert.Equal(stored[1].Data, unknown.Data.GetRawText());
        Assert.Equal("gold", unknown.Data.GetProperty("tier").GetString());
        Assert.Equal(1200, unknown.Data.GetProperty("points").GetInt32());
        var folded = await Store.AggregateAsync("c-1", AccountState.Initial, AccountState.Evolve);
        Assert.Equal((new AccountState("Acme", 0m, 0), 2L), (folded.State, folded.Version));
    }

    [Fact]
    public async Task An_unknown_event_appended_again_keeps_its_type_name_and_payload()
    {
        var newer = StoreWith(TestStores.Types().Register<LoyaltyTierChanged>("LoyaltyTierChanged"));
        await newer.AppendAsync("c-1", ExpectedVersion.NoStream, [new(new LoyaltyTierChanged("gold", 1200))]);
        var unknown = Store.Serializer.Envelope(await Store.ReadStreamAsync("c-1").SingleAsync()).Data;

        await Store.AppendAsync("c-copy", ExpectedVersion.NoStream, [new(unknown)]);
        var copy = await newer.ReadStreamAsync("c-copy").SingleAsync();

        Assert.Equal("LoyaltyTierChanged", copy.Type);
        Assert.Equal(new LoyaltyTierChanged("gold", 1200), newer.Serializer.Envelope(copy).Data);
    }

    [Fact]
    public async Task An_upcaster_chain_turns_old_payloads_into_the_current_event_type()
    {
        var oldRelease = StoreWith(
            new EventTypeMap()
                .Register<AccountOpenedV1>("AccountOpened.v1")
                .Register<AccountOpenedV2>("AccountOpened.v2")
        );
        await oldRelease.AppendAsync("c-1", ExpectedVersion.NoStream, [new(new AccountOpenedV1("Acme"))]);
        await oldRelease.AppendAsync(
            "c-2",
            ExpectedVersion.NoStream,
            [new(new AccountOpenedV2("Beta GmbH", "retail"))]
        );
        var current = StoreWith(
            TestStores
                .Types()
                .RegisterUpcaster(
                    "AccountOpened.v1",
                    "AccountOpened.v2",
                    v1 => new JsonObject { ["legalName"] = $"{v1["customerName"]} Ltd", ["segment"] = "unknown" }
                )
                .RegisterUpcaster(
                    "AccountOpened.v2",
                    "AccountOpened",
                    v2 => new JsonObject { ["name"] = v2["legalName"]!.GetValue<string>() }
                )
        );

        var fromV1 = await current.ReadStreamAsync("c-1").SingleAsync();
        var fromV2 = await current.ReadStreamAsync("c-2").SingleAsync();

        Assert.Equal("AccountOpened.v1", fromV1.Type);
        Assert.Equal(new AccountOpened("Acme Ltd"), current.Serializer.Envelope(fromV1).Data);
        Assert.Equal(new AccountOpened("Beta GmbH"), current.Serializer.Envelope(fromV2).Data);
        Assert.Equal(
            "Acme Ltd",
            (await current.AggregateAsync("c-1", AccountState.Initial, AccountState.Evolve)).State.Name
        );
    }

    [Fact]
    public async Task Appending_an_unregistered_type_throws_and_appends_nothing()
    {
        await Store.AppendAsync("c-1", ExpectedVersion.NoStream, [new(new AccountOpened("Acme"))]);
        var before = await LedgerSql.LogAsTextAsync(Database.DataSource);

        var toExisting = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Store.AppendAsync(
                "c-1",
                ExpectedVersion.Exactly(1),
                [TestStores.Purchase("o-1", 5m), new(new NotAnEvent("x"))]
            )
        );
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Store.AppendAsync("c-2", ExpectedVersion.Any, [new(new NotAnEvent("x"))])
        );

        Assert.Contains("NotAnEvent is not a registered event type", toExisting.Message, StringComparison.Ordinal);
        Assert.Equal(before, await LedgerSql.LogAsTextAsync(Database.DataSource));
        Assert.Null(await Store.GetStreamAsync("c-2"));
    }

    private EventStore StoreWith(EventTypeMap types) =>
        new(Database.DataSource, new EventStoreOptions { Serializer = new EventSerializer(types) });
}
