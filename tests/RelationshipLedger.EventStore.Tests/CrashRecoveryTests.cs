using Npgsql;
using RelationshipLedger.EventStore.Integrity;
using RelationshipLedger.EventStore.Serialization;
using RelationshipLedger.LocalPostgres;
using RelationshipLedger.Testing;

namespace RelationshipLedger.EventStore.Tests;

public sealed class CrashRecoveryTests
{
    private const int Streams = 4;
    private const int AppendsBeforeTheCrash = 300;

    [Fact]
    public async Task Every_acknowledged_append_survives_killing_the_writer_and_crashing_PostgreSQL()
    {
        // A cluster of its own: this test crashes it.
        var cluster = await LocalCluster.StartAsync(LocalClusterOptions.Temporary());
        try
        {
            var connectionString = cluster.ConnectionStringFor("ledger");
            await LedgerDatabase.EnsureDatabaseExistsAsync(connectionString);
            await using (var dataSource = LedgerDatabase.CreateDataSource(connectionString))
                await SchemaMigrator.MigrateAsync(dataSource);

            IReadOnlyList<Acknowledgement> acknowledged;
            using (var writer = CrashWriterProcess.Start(connectionString, Streams))
            {
                await Eventually.IsTrueAsync(
                    () => writer.HasAcknowledgedAsync(AppendsBeforeTheCrash),
                    $"the crash writer to acknowledge {AppendsBeforeTheCrash} appends"
                );
                acknowledged = await writer.KillAsync();
            }
            await cluster.CrashAsync();
            await cluster.RestartAsync();
            Assert.Contains(
                "automatic recovery in progress",
                await File.ReadAllTextAsync(cluster.LogFile),
                StringComparison.Ordinal
            );

            await using var recovered = LedgerDatabase.CreateDataSource(cluster.ConnectionStringFor("ledger"));
            var stored = await StoredEventsAsync(recovered);
            Assert.True(acknowledged.Count >= AppendsBeforeTheCrash);
            Assert.Equal(Streams, acknowledged.Select(a => a.StreamId).Distinct().Count());
            Assert.All(
                acknowledged.SelectMany(a => a.Events.Select(e => (a.StreamId, e.EventId, e.Version))),
                ack => Assert.Equal((ack.StreamId, ack.Version), stored.GetValueOrDefault(ack.EventId))
            );
            Assert.Equal(Enumerable.Repeat("dense", Streams), await StreamShapesAsync(recovered));
            var store = new EventStore(
                recovered,
                new EventStoreOptions { Serializer = new EventSerializer(new EventTypeMap()) }
            );
            var verification = await new ChainVerifier(store).VerifyAllAsync();
            Assert.True(verification.Valid, string.Join("; ", verification.Broken));
            Assert.Equal((Streams, stored.Count), ((int)verification.Streams, (int)verification.Events));
        }
        finally
        {
            await cluster.StopAsync();
            await cluster.DisposeAsync();
        }
    }

    private static async Task<Dictionary<Guid, (string StreamId, long Version)>> StoredEventsAsync(
        NpgsqlDataSource dataSource
    )
    {
        await using var command = dataSource.CreateCommand("select event_id, stream_id, version from ledger.events");
        await using var reader = await command.ExecuteReaderAsync();
        var stored = new Dictionary<Guid, (string, long)>();
        while (await reader.ReadAsync())
            stored.Add(reader.GetGuid(0), (reader.GetString(1), reader.GetInt64(2)));
        return stored;
    }

    /// <summary>Per stream, "dense" when its events are exactly versions 1..head version, else what they are.</summary>
    private static async Task<List<string>> StreamShapesAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(
            "select case when e.count = s.version and e.min = 1 and e.max = s.version then 'dense' "
                + "else format('%s: head %s, %s events from %s to %s', s.id, s.version, e.count, e.min, e.max) end "
                + "from ledger.streams s left join (select stream_id, count(*), min(version), max(version) "
                + "from ledger.events group by stream_id) e on e.stream_id = s.id order by s.id"
        );
        await using var reader = await command.ExecuteReaderAsync();
        var shapes = new List<string>();
        while (await reader.ReadAsync())
            shapes.Add(reader.GetString(0));
        return shapes;
    }
}
