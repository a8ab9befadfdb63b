using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Customers.Caching;
using RelationshipLedger.Domain.Rules;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Application.Tests;

/// <summary>The application wired as the API wires it, on a test database of its own.</summary>
public sealed class Ledger : IAsyncDisposable
{
    private Ledger(TestDatabase database)
    {
        Database = database;
        var cache = new CustomerStateCache();
        Store = LedgerServices.CreateStore(database.DataSource, LifecycleRules.Default, cache);
        Loader = new CustomerStateLoader(Store, cache);
        Handler = new CustomerCommandHandler(Store, Loader);
    }

    public TestDatabase Database { get; }

    public EventStore.EventStore Store { get; }

    public CustomerStateLoader Loader { get; }

    public CustomerCommandHandler Handler { get; }

    public static async Task<Ledger> CreateAsync()
    {
        var database = await TestDatabase.CreateAsync(migrated: false);
        await LedgerSchema.MigrateAsync(database.DataSource);
        return new Ledger(database);
    }

    /// <summary>
    /// Runs <paramref name="command"/> on <paramref name="customerId"/> as issued at <paramref name="issuedAt"/>
    /// and happened at <paramref name="occurredAt"/>, by actor "test"; the decider must accept it.
    /// </summary>
    public async Task RecordAsync(
        string customerId,
        DateTimeOffset occurredAt,
        DateTimeOffset issuedAt,
        Domain.Customers.CustomerCommand command
    )
    {
        ArgumentNullException.ThrowIfNull(command);
        var outcome = await Handler.HandleAsync(
            customerId,
            command with
            {
                IssuedAt = issuedAt,
                OccurredAt = occurredAt,
            },
            new CommandContext("test")
        );
        Assert.Null(outcome.Rejection);
    }

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
