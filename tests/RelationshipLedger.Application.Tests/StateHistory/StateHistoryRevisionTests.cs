using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.StateHistory;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Testing;
using static RelationshipLedger.Domain.Customers.CustomerCommand;

namespace RelationshipLedger.Application.Tests.StateHistory;

/// <summary>
/// The daemon revises a customer's periods instead of replacing them: a row that still equals one of
/// the new periods stays as it is (same row version, <c>xmin</c>), the others are rewritten, and the
/// rows always equal the periods of the whole stream.
/// </summary>
public sealed class StateHistoryRevisionTests : IAsyncLifetime
{
    private const string Customer = "revised";
    private static readonly DateTimeOffset Issued = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private Ledger _ledger = null!;
    private RunningDaemon _daemon = null!;

    public async Task InitializeAsync()
    {
        _ledger = await Ledger.CreateAsync();
        _daemon = RunningDaemon.Start(_ledger.Store, LedgerServices.CreateAsyncProjections(_ledger.Store.Serializer));
        await RunAsync(
            At(2024, 1, 1),
            new RegisterCustomer("Revised AG", CustomerKind.Organization, OwnerId: "alice") { IssuedAt = Issued }
        );
        await RunAsync(
            At(2024, 2, 1),
            new ChangeTier(RelationshipTier.PreferredSupplier, "volume", "director") { IssuedAt = Issued }
        );
        await RunAsync(At(2024, 3, 1), new AssignOwner("bob", "territory") { IssuedAt = Issued });
        await StatePeriodRows.CaughtUpAsync(_ledger.Database.DataSource);
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        await _ledger.DisposeAsync();
    }

    [Fact]
    public async Task A_later_purchase_leaves_the_periods_before_it_as_they_were()
    {
        var before = await RowVersionsAsync();
        Assert.True(before.Count >= 3, $"expected the registration, tier and owner periods, got {before.Count}");

        await RunAsync(At(2024, 6, 1), new RecordPurchase("p-1", 900m, "EUR") { IssuedAt = Issued });
        await StatePeriodRows.CaughtUpAsync(_ledger.Database.DataSource);

        var after = await RowVersionsAsync();
        foreach (var from in new[] { At(2024, 1, 1), At(2024, 2, 1) })
            Assert.Equal(before[from.UtcDateTime], after[from.UtcDateTime]);
        Assert.Equal(
            await StatePeriodRows.ExpectedAsync(_ledger, Customer),
            await StatePeriodRows.OfAsync(_ledger.Database.DataSource, Customer)
        );
    }

    [Fact]
    public async Task A_new_name_is_written_to_every_period_and_a_back_dated_event_rewrites_what_it_changes()
    {
        await RunAsync(
            At(2024, 4, 1),
            new UpdateProfile(new ProfileChanges { Name = "Renamed AG" }) { IssuedAt = Issued }
        );
        await RunAsync(At(2024, 1, 15), new RecordPurchase("early", 5000m, "EUR") { IssuedAt = Issued });
        await StatePeriodRows.CaughtUpAsync(_ledger.Database.DataSource);

        Assert.Equal(
            await StatePeriodRows.ExpectedAsync(_ledger, Customer),
            await StatePeriodRows.OfAsync(_ledger.Database.DataSource, Customer)
        );
        Assert.Equal(["Renamed AG"], await NamesAsync());
    }

    /// <summary>Each period's start and the transaction that wrote its row.</summary>
    private async Task<Dictionary<DateTime, string>> RowVersionsAsync()
    {
        await using var command = _ledger.Database.DataSource.CreateCommand(
            "select lower(valid_during), xmin::text from ledger.state_periods where customer_id = $1"
        );
        command.Parameters.AddWithValue(Customer);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<DateTime, string>();
        while (await reader.ReadAsync())
            rows[reader.GetDateTime(0)] = reader.GetString(1);
        return rows;
    }

    private async Task<List<string>> NamesAsync()
    {
        await using var command = _ledger.Database.DataSource.CreateCommand(
            "select distinct name from ledger.state_periods where customer_id = $1"
        );
        command.Parameters.AddWithValue(Customer);
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
            names.Add(reader.GetString(0));
        return names;
    }

    private static DateTimeOffset At(int year, int month, int day) => new(year, month, day, 9, 0, 0, TimeSpan.Zero);

    private Task RunAsync(DateTimeOffset at, CustomerCommand command) =>
        _ledger.RecordAsync(Customer, at, Issued, command);
}
