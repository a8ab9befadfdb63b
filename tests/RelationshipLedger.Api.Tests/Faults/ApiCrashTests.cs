using Npgsql;
using RelationshipLedger.Api.Tests.Support;
using RelationshipLedger.EventStore;
using RelationshipLedger.LocalPostgres;
using RelationshipLedger.Testing;
using Xunit.Abstractions;

namespace RelationshipLedger.Api.Tests.Faults;

/// <summary>
/// Issue 6, item 3: the API process SIGKILLed at random moments under concurrent writers that use
/// idempotency keys and retry every unacknowledged command with the same key and body.
/// </summary>
public sealed class ApiCrashTests(ITestOutputHelper output)
{
    private const int Seed = 20261204;
    private const int Customers = 5;
    private const int Writers = 4;
    private const int CommandsPerWriter = 50;
    private const int Kills = 4;

    [Fact]
    public async Task Killing_the_API_under_retrying_writers_leaves_one_append_per_key_valid_chains_and_projections_equal_to_their_rebuilds()
    {
        // A cluster of its own: the API processes and nothing else write to it.
        var cluster = await LocalCluster.StartAsync(LocalClusterOptions.Temporary());
        try
        {
            var connectionString = cluster.ConnectionStringFor("ledger");
            await LedgerDatabase.EnsureDatabaseExistsAsync(connectionString);
            var random = new Random(Seed);
            var run = $"crash-{Guid.NewGuid():N}"[..14];
            var (registrations, plans) = IdempotentCommand.Plan(random, run, Customers, Writers, CommandsPerWriter);
            var total = registrations.Count + plans.Sum(p => p.Count);
            // Kill when the acknowledged count reaches these: a random moment in each of Kills equal
            // parts of the writers' run.
            var span = (total - registrations.Count) / Kills;
            var killAt = Enumerable
                .Range(0, Kills)
                .Select(k => registrations.Count + k * span + random.Next(span / 5, span))
                .ToArray();
            output.WriteLine($"{total} commands; kills after {string.Join(", ", killAt)} acknowledgements");

            await using var api = new KilledApi(connectionString, $"rlk_test_{Guid.NewGuid():N}");
            await api.StartAsync();
            using var client = api.NewClient();
            foreach (var registration in registrations)
                await api.SendUntilAcknowledgedAsync(client, registration);
            var writers = plans
                .Select(plan =>
                    Task.Run(async () =>
                    {
                        using var writer = api.NewClient();
                        foreach (var command in plan)
                            await api.SendUntilAcknowledgedAsync(writer, command);
                    })
                )
                .ToArray();
            foreach (var threshold in killAt)
            {
                await Eventually.IsTrueAsync(
                    () => Task.FromResult(api.AcknowledgedCount >= threshold || writers.Any(w => w.IsFaulted)),
                    $"{threshold} acknowledgements",
                    TimeSpan.FromSeconds(60)
                );
                if (writers.Any(w => w.IsFaulted))
                    break;
                await api.KillAndRestartAsync();
            }
            await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(90));

            var acknowledged = api.Acknowledgements;
            output.WriteLine(
                $"{api.Kills} kills, {api.FailedAttempts} attempts without an answer, "
                    + $"{acknowledged.Count(a => a.Replayed)} acknowledged by a replay"
            );
            Assert.Equal(Kills, api.Kills);
            Assert.Equal(total, acknowledged.Count);
            Assert.Equal(total, acknowledged.Select(a => a.Command.Key).Distinct().Count());

            // One append per key: the events carrying each key are exactly those its acknowledgement named.
            await using var dataSource = LedgerDatabase.CreateDataSource(connectionString);
            var stored = await EventIdsByKeyAsync(dataSource, run);
            Assert.Equal(
                acknowledged.Select(a => a.Command.Key).Order(StringComparer.Ordinal),
                stored.Keys.Order(StringComparer.Ordinal)
            );
            Assert.All(acknowledged, a => Assert.Equal(a.EventIds.Order(), stored[a.Command.Key].Order()));

            using var auditor = api.NewClient();
            auditor.BaseAddress = await api.WhenUpAsync();
            var verified = await auditor.GetJsonAsync("/ledger/verify");
            Assert.True(verified.GetProperty("valid").GetBoolean(), verified.GetRawText());
            Assert.Equal(Customers, verified.GetProperty("streams").GetInt64());
            Assert.Equal(stored.Values.Sum(ids => ids.Count), verified.GetProperty("events").GetInt64());

            await RebuildAgreement.AssertEveryProjectionEqualsItsRebuildAsync(auditor);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    private static async Task<Dictionary<string, List<Guid>>> EventIdsByKeyAsync(
        NpgsqlDataSource dataSource,
        string run
    )
    {
        await using var command = dataSource.CreateCommand(
            "select metadata->'headers'->>'idempotencyKey', event_id from ledger.events "
                + "where metadata->'headers'->>'idempotencyKey' like $1"
        );
        command.Parameters.Add(new() { Value = run + "-%" });
        await using var reader = await command.ExecuteReaderAsync();
        var stored = new Dictionary<string, List<Guid>>();
        while (await reader.ReadAsync())
        {
            var key = reader.GetString(0);
            if (!stored.TryGetValue(key, out var ids))
                stored[key] = ids = [];
            ids.Add(reader.GetGuid(1));
        }
        return stored;
    }
}
