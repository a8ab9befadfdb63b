using RelationshipLedger.EventStore.Integrity;

namespace RelationshipLedger.EventStore.Tests;

public sealed class ConcurrentAppendTests : StoreTestClass
{
    private const int Racers = 24;

    [Fact]
    public async Task Of_many_appenders_expecting_the_same_version_exactly_one_wins_and_the_others_conflict()
    {
        await Store.AppendAsync(
            "c-1",
            ExpectedVersion.NoStream,
            [new(new AccountOpened("Acme")), TestStores.Purchase("o-0", 1m)]
        );

        var race = await AppendRace.RunAsync(
            Database.DataSource,
            Racers,
            racer =>
                Store.AppendAsync(
                    "c-1",
                    ExpectedVersion.Exactly(2),
                    [TestStores.Purchase($"o-{racer}-a", 10m), TestStores.Purchase($"o-{racer}-b", 20m)]
                )
        );

        var winner = Assert.Single(race.Won);
        Assert.Equal(4, winner.StreamVersion);
        Assert.Equal([3L, 4L], winner.Events.Select(e => e.Version));
        Assert.Equal(Racers - 1, race.Conflicts.Count);
        Assert.All(
            race.Conflicts,
            conflict =>
            {
                Assert.Equal("c-1", conflict.StreamId);
                Assert.Equal(ExpectedVersion.Exactly(2), conflict.Expected);
                Assert.Equal(4, conflict.ActualVersion);
            }
        );
        var stored = await AssertVersionsAreDenseAsync("c-1", 4);
        Assert.Equal(winner.Events.Select(e => e.EventId), stored.Skip(2).Select(e => e.EventId));
    }

    [Fact]
    public async Task Of_many_appenders_creating_the_same_stream_exactly_one_wins_and_the_others_conflict()
    {
        var race = await AppendRace.RunAsync(
            Database.DataSource,
            Racers,
            racer => Store.AppendAsync("c-new", ExpectedVersion.NoStream, [new(new AccountOpened($"Creator {racer}"))])
        );

        var winner = Assert.Single(race.Won);
        Assert.Equal(1, winner.StreamVersion);
        Assert.Equal(Racers - 1, race.Conflicts.Count);
        Assert.All(race.Conflicts, conflict => Assert.Equal(1, conflict.ActualVersion));
        var stored = await AssertVersionsAreDenseAsync("c-new", 1);
        Assert.Equal(winner.Events[0].EventId, stored[0].EventId);
    }

    [Fact]
    public async Task Many_appenders_expecting_any_version_all_succeed_with_dense_versions()
    {
        var race = await AppendRace.RunAsync(
            Database.DataSource,
            Racers,
            racer =>
                Store.AppendAsync(
                    "c-busy",
                    ExpectedVersion.Any,
                    racer % 2 == 0
                        ? [TestStores.Purchase($"o-{racer}", racer)]
                        : [TestStores.Purchase($"o-{racer}-a", racer), TestStores.Purchase($"o-{racer}-b", racer)]
                )
        );

        Assert.Empty(race.Conflicts);
        Assert.Equal(Racers, race.Won.Count);
        var total = race.Won.Sum(result => result.Events.Count);
        Assert.Equal(Racers / 2 * 3, total);
        foreach (var result in race.Won)
        {
            var versions = result.Events.Select(e => e.Version).ToArray();
            Assert.Equal(LongRange(result.StreamVersion - versions.Length + 1, versions.Length), versions);
        }
        Assert.Equal(LongRange(1, total), race.Won.SelectMany(r => r.Events).Select(e => e.Version).Order());

        var stored = await AssertVersionsAreDenseAsync("c-busy", total);
        var appendedIdsByVersion = race.Won.SelectMany(r => r.Events).ToDictionary(e => e.Version, e => e.EventId);
        Assert.All(stored, e => Assert.Equal(appendedIdsByVersion[e.Version], e.EventId));
    }

    /// <summary>The stream holds exactly versions 1..<paramref name="version"/>, its head agrees, and its chain holds.</summary>
    private async Task<List<RecordedEvent>> AssertVersionsAreDenseAsync(string streamId, long version)
    {
        var stored = await Store.ReadStreamAsync(streamId).ToListAsync();
        Assert.Equal(LongRange(1, version), stored.Select(e => e.Version));
        Assert.Equal(version, (await Store.GetStreamAsync(streamId))?.Version);
        var verification = await new ChainVerifier(Store).VerifyStreamAsync(streamId);
        Assert.True(verification.Valid, verification.FirstBroken?.Reason);
        return stored;
    }

    private static IEnumerable<long> LongRange(long start, long count) =>
        Enumerable.Range(0, (int)count).Select(i => start + i);
}
