using Npgsql;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Idempotency;
using RelationshipLedger.Domain.Customers;
using static RelationshipLedger.Domain.Customers.CustomerCommand;

namespace RelationshipLedger.Application.Tests;

/// <summary>
/// A command on a cached head goes to the database as one batch: the append, the overview row and the
/// idempotency key. These tests hold that batch to all or nothing through the handler.
/// </summary>
public sealed class OneRoundTripCommandTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private Ledger _ledger = null!;

    public async Task InitializeAsync() => _ledger = await Ledger.CreateAsync();

    public async Task DisposeAsync() => await _ledger.DisposeAsync();

    [Fact]
    public async Task A_command_whose_idempotency_key_is_taken_appends_nothing_and_leaves_the_overview_as_it_was()
    {
        var keyed = new CommandContext("api-key-1")
        {
            Headers = IdempotencyKeys.Headers("api-key-1", "key-1", new byte[] { 1, 2, 3 }, 201),
        };
        await _ledger.Handler.HandleAsync(
            "c-key",
            new RegisterCustomer("Key Ltd", CustomerKind.Organization) { IssuedAt = Now },
            new CommandContext("api-key-1")
        );
        await _ledger.Handler.HandleAsync("c-key", Purchase("o-1"), keyed);
        var overviewBefore = await OverviewAsync("c-key");

        // A repeat the API did not catch before appending (it raced the first): the key's row refuses it.
        var failure = await Assert.ThrowsAsync<PostgresException>(() =>
            _ledger.Handler.HandleAsync("c-key", Purchase("o-2"), keyed)
        );

        Assert.True(IdempotencyConflict.IsDuplicateKey(failure));
        Assert.Equal(2, (await _ledger.Store.GetStreamAsync("c-key"))!.Version);
        Assert.Equal(overviewBefore, await OverviewAsync("c-key"));
        Assert.Equal(2, _ledger.Loader.Cache.Head("c-key")!.Version);
        var next = await _ledger.Handler.HandleAsync("c-key", Purchase("o-2"), new CommandContext("api-key-1"));
        Assert.Equal(3, next.Version);
        Assert.StartsWith("3 ", await OverviewAsync("c-key"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_on_the_cached_head_is_planned_so_its_overview_is_evaluated_at_an_instant_taken_before_the_append_was_recorded()
    {
        await _ledger.Handler.HandleAsync(
            "c-instant",
            new RegisterCustomer("Instant Ltd", CustomerKind.Organization) { IssuedAt = DateTimeOffset.UtcNow },
            new CommandContext("t")
        );
        var outcome = await _ledger.Handler.HandleAsync(
            "c-instant",
            new RecordPurchase("o-1", 10m, "EUR") { IssuedAt = DateTimeOffset.UtcNow },
            new CommandContext("t")
        );

        await using var command = _ledger.Database.DataSource.CreateCommand(
            // The transaction path evaluates at recorded_at itself; the planned path cannot know it and
            // takes this process's clock before sending (the test cluster runs on the same machine).
            "select o.updated_at < e.recorded_at, o.version from ledger.customer_overview o "
                + "join ledger.events e on e.stream_id = o.customer_id and e.version = o.version where o.customer_id = 'c-instant'"
        );
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.True(
            reader.GetBoolean(0),
            "The overview was not evaluated before the append was recorded: the command was not planned."
        );
        Assert.Equal(outcome.Version, reader.GetInt64(1));
        Assert.Equal(outcome.Version, _ledger.Loader.Cache.Head("c-instant")!.Stage?.Version);
    }

    private static RecordPurchase Purchase(string orderId) => new(orderId, 10m, "EUR") { IssuedAt = Now };

    private async Task<string> OverviewAsync(string customerId)
    {
        await using var command = _ledger.Database.DataSource.CreateCommand(
            "select version || ' ' || updated_at || ' ' || summary::text from ledger.customer_overview where customer_id = $1"
        );
        command.Parameters.Add(new() { Value = customerId });
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
