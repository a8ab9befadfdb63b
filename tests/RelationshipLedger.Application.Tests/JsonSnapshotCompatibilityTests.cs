using System.Text.Json;
using NpgsqlTypes;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Customers.Caching;
using RelationshipLedger.Application.Customers.Snapshots;
using RelationshipLedger.Application.Overview;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Application.Tests;

/// <summary>
/// Snapshots written before the compact format (customer-state-v1, the state as JSON) are still read:
/// a database written by an older build keeps its time travel from snapshots, and gives the same answers.
/// </summary>
public sealed class JsonSnapshotCompatibilityTests : IAsyncLifetime
{
    private const string Customer = "c-old-snapshot";
    private static readonly DateTimeOffset Start = new(2024, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private Ledger _ledger = null!;

    public async Task InitializeAsync() => _ledger = await Ledger.CreateAsync();

    public async Task DisposeAsync() => await _ledger.DisposeAsync();

    [Fact]
    public async Task A_json_snapshot_of_the_old_format_is_the_start_of_a_fold()
    {
        await WriteHistoryAsync(events: 150);
        var atSnapshot = await _ledger.Loader.LoadFromScratchAsync(Customer, new TimeTravel(Version: 100));
        // The state as an old build stored it, marked so that only a read of this row can return the mark.
        await ReplaceSnapshotWithJsonAsync(atSnapshot.State with { Name = "Read From The Old Snapshot" });

        var loaded = await Uncached().LoadAsync(Customer, new TimeTravel(Version: 120));

        Assert.Equal(120, loaded.Version);
        Assert.Equal("Read From The Old Snapshot", loaded.State.Name);
        Assert.Null(loaded.SnapshotStage);
    }

    [Fact]
    public async Task Reads_from_a_json_snapshot_agree_with_a_fold_from_scratch()
    {
        await WriteHistoryAsync(events: 150);
        var atSnapshot = await _ledger.Loader.LoadFromScratchAsync(Customer, new TimeTravel(Version: 100));
        await ReplaceSnapshotWithJsonAsync(atSnapshot.State);
        var asOf = Start.AddDays(130);
        var rules = LifecycleRules.Default;
        var queries = new CustomerQueries(Uncached(), rules, TimeProvider.System);

        foreach (var travel in new[] { new TimeTravel(Version: 140), new TimeTravel(AsOf: asOf) })
        {
            var scratch = await _ledger.Loader.LoadFromScratchAsync(Customer, travel);
            var at = travel.AsOf ?? scratch.State.LatestOccurredAt;
            var expected = CustomerOverview.From(Customer, CustomerSummary.Of(scratch.State, at, rules), at);

            Assert.Equal(Json(expected), Json(await queries.GetOverviewAsync(Customer, travel)));
        }
    }

    private static string Json(CustomerOverview? overview) => JsonSerializer.Serialize(overview, ReadModelJson.Options);

    private CustomerStateLoader Uncached() => new(_ledger.Store, CustomerStateCache.None);

    private async Task WriteHistoryAsync(int events)
    {
        var batch = new List<EventToAppend>
        {
            new(new CustomerEvent.CustomerRegistered("Old Build AG", CustomerKind.Organization)) { OccurredAt = Start },
        };
        for (var day = 1; day < events; day++)
            batch.Add(
                new EventToAppend(
                    day % 2 == 0
                        ? new CustomerEvent.PurchaseRecorded($"o-{day}", 100 + day, "EUR")
                        : new CustomerEvent.SatisfactionSurveyed($"s-{day}", 1 + (day % 5), RepurchaseIntent.Yes)
                )
                {
                    OccurredAt = Start.AddDays(day),
                }
            );
        await _ledger.Store.AppendAsync(Customer, ExpectedVersion.NoStream, batch, CustomerId.StreamType);
    }

    private async Task ReplaceSnapshotWithJsonAsync(CustomerState state)
    {
        await using var command = _ledger.Database.DataSource.CreateCommand(
            "update ledger.customer_snapshots set state_format = $1, state = $2 "
                + "where customer_id = $3 and version = 100"
        );
        command.Parameters.Add(new() { Value = StateSnapshot.JsonFormat, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = StateSnapshot.Serialize(state), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = Customer, NpgsqlDbType = NpgsqlDbType.Text });
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
