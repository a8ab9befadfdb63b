using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Customers.Snapshots;
using RelationshipLedger.Application.StateHistory;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Testing;
using static RelationshipLedger.Domain.Customers.CustomerCommand;

namespace RelationshipLedger.Application.Tests.StateHistory;

/// <summary>
/// The state history folds a stream on from the state it kept after the previous batch, and trusts
/// that state only while the log still holds its last event (same version, same event id).
/// </summary>
public sealed class StateHistoryKeptStateTests
{
    private const string Customer = "shared-id";
    private static readonly DateTimeOffset Issued = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// One projection instance applies ledger A (three events) and then ledger B, where the same stream
    /// id has five other events. Folding B's events 4–5 onto the state kept from A would give alice and
    /// StrategicAlliance; the kept state's last event is not B's version 3, so B's stream is folded from version 1.
    /// </summary>
    [Fact]
    public async Task A_kept_state_whose_last_event_the_log_does_not_hold_is_not_folded_on()
    {
        await using var first = await Ledger.CreateAsync();
        var projections = LedgerServices.CreateAsyncProjections(first.Store.Serializer);
        await RunAsync(
            first,
            At(2024, 1, 1),
            new RegisterCustomer("First AG", CustomerKind.Organization, OwnerId: "alice") { IssuedAt = Issued }
        );
        await RunAsync(first, At(2024, 2, 1), new RecordPurchase("a-1", 500m, "EUR") { IssuedAt = Issued });
        await RunAsync(
            first,
            At(2024, 3, 1),
            new ChangeTier(RelationshipTier.StrategicAlliance, "big", "director") { IssuedAt = Issued }
        );
        await CatchUpAsync(first, projections);

        await using var second = await Ledger.CreateAsync();
        await RunAsync(
            second,
            At(2024, 1, 1),
            new RegisterCustomer("Second AG", CustomerKind.Organization, OwnerId: "bob") { IssuedAt = Issued }
        );
        await RunAsync(second, At(2024, 2, 1), new RecordPurchase("b-1", 100m, "EUR") { IssuedAt = Issued });
        await RunAsync(second, At(2024, 3, 1), new RecordPurchase("b-2", 100m, "EUR") { IssuedAt = Issued });
        await RunAsync(second, At(2024, 4, 1), new RecordPurchase("b-3", 100m, "EUR") { IssuedAt = Issued });
        await RunAsync(second, At(2024, 5, 1), new RecordPurchase("b-4", 100m, "EUR") { IssuedAt = Issued });
        await CatchUpAsync(second, projections);

        Assert.Equal(
            await StatePeriodRows.ExpectedAsync(second, Customer),
            await StatePeriodRows.OfAsync(second.Database.DataSource, Customer)
        );
        Assert.All(
            await StatePeriodRows.OfAsync(second.Database.DataSource, Customer),
            line => Assert.EndsWith(" bob", line, StringComparison.Ordinal)
        );
    }

    /// <summary>Events appended batch after batch are folded onto the kept state: the rows equal a fold from scratch.</summary>
    [Fact]
    public async Task Batches_folded_onto_the_kept_state_give_the_periods_of_the_whole_stream()
    {
        await using var ledger = await Ledger.CreateAsync();
        await using var daemon = RunningDaemon.Start(
            ledger.Store,
            LedgerServices.CreateAsyncProjections(ledger.Store.Serializer)
        );
        await RunAsync(
            ledger,
            At(2024, 1, 1),
            new RegisterCustomer("Kept AG", CustomerKind.Organization, OwnerId: "carol") { IssuedAt = Issued }
        );
        for (var month = 2; month <= 7; month++)
        {
            await RunAsync(
                ledger,
                At(2024, month, 1),
                new RecordPurchase($"k-{month}", 1000m, "EUR") { IssuedAt = Issued }
            );
            await StatePeriodRows.CaughtUpAsync(ledger.Database.DataSource);
        }
        // Back-dated before every purchase: the whole history after it changes.
        await RunAsync(
            ledger,
            At(2024, 1, 15),
            new ChangeTier(RelationshipTier.PreferredSupplier, "early", "director") { IssuedAt = Issued }
        );
        await StatePeriodRows.CaughtUpAsync(ledger.Database.DataSource);

        Assert.Equal(
            await StatePeriodRows.ExpectedAsync(ledger, Customer),
            await StatePeriodRows.OfAsync(ledger.Database.DataSource, Customer)
        );
    }

    /// <summary>
    /// A stream the projection keeps no state for (a new process, or one its bound let go of) is folded
    /// on from its newest snapshot within the batch, not from version 1: a snapshot doctored to carry
    /// another name shows that name in every row, and the periods are still those of the whole stream.
    /// </summary>
    [Fact]
    public async Task A_stream_without_a_kept_state_is_folded_on_from_its_newest_snapshot()
    {
        await using var ledger = await Ledger.CreateAsync();
        await RunAsync(
            ledger,
            At(2024, 1, 1),
            new RegisterCustomer("Snapshot AG", CustomerKind.Organization, OwnerId: "dora") { IssuedAt = Issued }
        );
        for (var n = 1; n <= 120; n++)
        {
            await RunAsync(
                ledger,
                At(2024, 1, 1).AddDays(n * 3),
                new RecordPurchase($"s-{n}", 100m + (n % 7 * 300m), "EUR") { IssuedAt = Issued }
            );
        }
        var snapshotVersion = await DoctorNewestSnapshotAsync(ledger, "Doctored AG");
        Assert.Equal(100, snapshotVersion);
        // The first batch must reach the snapshot's version. A transaction another test's database holds
        // open since before the last appends would hold them back (the safe log's bound is cluster-wide):
        // the daemon would fold versions 1 to 99 from the start, keep that state and never need the snapshot.
        await Eventually.IsTrueAsync(
            () => NothingHeldBackAsync(ledger),
            "no open transaction of the cluster to hold the customer's events back"
        );

        await CatchUpAsync(ledger, LedgerServices.CreateAsyncProjections(ledger.Store.Serializer));

        Assert.Equal(
            await StatePeriodRows.ExpectedAsync(ledger, Customer),
            await StatePeriodRows.OfAsync(ledger.Database.DataSource, Customer)
        );
        Assert.Equal("Doctored AG", await StatePeriodRows.NamesAsync(ledger.Database.DataSource, Customer));
    }

    private static async Task<bool> NothingHeldBackAsync(Ledger ledger)
    {
        await using var command = ledger.Database.DataSource.CreateCommand(
            "select not exists (select 1 from ledger.events where tx_id >= pg_snapshot_xmin(pg_current_snapshot()))"
        );
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Rewrites the customer's newest snapshot with another name; returns its version.</summary>
    private static async Task<long> DoctorNewestSnapshotAsync(Ledger ledger, string name)
    {
        var dataSource = ledger.Database.DataSource;
        StoredSnapshot stored;
        long version;
        await using (
            var read = dataSource.CreateCommand(
                $"select {StateSnapshot.Columns} from ledger.customer_snapshots where customer_id = $1 "
                    + "order by version desc limit 1"
            )
        )
        {
            read.Parameters.AddWithValue(Customer);
            await using var reader = await read.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync(), "the customer has no snapshot");
            version = reader.GetInt64(0);
            stored = StateSnapshot.Read(reader);
        }
        await using var write = dataSource.CreateCommand(
            "update ledger.customer_snapshots set state_bytes = $1 where customer_id = $2 and version = $3"
        );
        write.Parameters.AddWithValue(
            StateSnapshot.Encode(stored.State with { Name = name }, stored.Stage!, stored.StageRulesVersion!)
        );
        write.Parameters.AddWithValue(Customer);
        write.Parameters.AddWithValue(version);
        Assert.Equal(1, await write.ExecuteNonQueryAsync());
        return version;
    }

    private static async Task CatchUpAsync(
        Ledger ledger,
        IReadOnlyList<EventStore.Projections.IAsyncProjection> projections
    )
    {
        await using var daemon = RunningDaemon.Start(ledger.Store, projections);
        await StatePeriodRows.CaughtUpAsync(ledger.Database.DataSource);
    }

    private static DateTimeOffset At(int year, int month, int day) => new(year, month, day, 9, 0, 0, TimeSpan.Zero);

    private static Task RunAsync(Ledger ledger, DateTimeOffset at, CustomerCommand command) =>
        ledger.RecordAsync(Customer, at, Issued, command);
}
