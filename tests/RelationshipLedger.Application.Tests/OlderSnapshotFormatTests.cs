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
/// Snapshots written by older builds are still read — customer-state-v1 (the state as JSON) and
/// customer-state-v2 (the compact bytes base64 in a jsonb string): a database written by an older build
/// keeps its time travel from snapshots, and gives the same answers.
/// </summary>
public sealed class OlderSnapshotFormatTests : IAsyncLifetime
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
    public async Task A_base64_snapshot_of_format_v2_is_the_start_of_a_fold_with_its_stage()
    {
        await WriteHistoryAsync(events: 150);
        var atSnapshot = await _ledger.Loader.LoadFromScratchAsync(Customer, new TimeTravel(Version: 100));
        var mark = StageHistory.MarkAt(atSnapshot.State, atSnapshot.State.LatestOccurredAt);
        await ReplaceSnapshotWithBase64Async(atSnapshot.State with { Name = "Read From The V2 Snapshot" }, mark);

        var loaded = await Uncached().LoadAsync(Customer, new TimeTravel(Version: 120));

        Assert.Equal(120, loaded.Version);
        Assert.Equal("Read From The V2 Snapshot", loaded.State.Name);
        Assert.Equal(new SnapshotStage(mark, "rules-of-v2"), loaded.SnapshotStage);
    }

    [Fact]
    public async Task New_snapshots_are_written_as_bytes_of_format_v3()
    {
        await WriteHistoryAsync(events: 150);

        await using var command = _ledger.Database.DataSource.CreateCommand(
            "select state_format, state is null, length(state_bytes) > 0 from ledger.customer_snapshots where customer_id = $1"
        );
        command.Parameters.Add(new() { Value = Customer, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(
            (StateSnapshot.Format, true, true),
            (reader.GetString(0), reader.GetBoolean(1), reader.GetBoolean(2))
        );
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

    private Task ReplaceSnapshotWithJsonAsync(CustomerState state) =>
        ReplaceSnapshotAsync(StateSnapshot.JsonFormat, StateSnapshot.Serialize(state));

    /// <summary>The v2 form: v3's bytes, base64 in a jsonb string.</summary>
    private Task ReplaceSnapshotWithBase64Async(CustomerState state, StageMark mark) =>
        ReplaceSnapshotAsync(
            StateSnapshot.Base64Format,
            "\"" + Convert.ToBase64String(StateSnapshot.Encode(state, mark, "rules-of-v2")) + "\""
        );

    private async Task ReplaceSnapshotAsync(string format, string jsonb)
    {
        await using var command = _ledger.Database.DataSource.CreateCommand(
            "update ledger.customer_snapshots set state_format = $1, state = $2, state_bytes = null "
                + "where customer_id = $3 and version = 100"
        );
        command.Parameters.Add(new() { Value = format, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = jsonb, NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = Customer, NpgsqlDbType = NpgsqlDbType.Text });
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
