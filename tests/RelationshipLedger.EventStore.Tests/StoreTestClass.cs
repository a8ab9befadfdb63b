using RelationshipLedger.Testing;

namespace RelationshipLedger.EventStore.Tests;

/// <summary>A test class with a migrated database of its own and a store on it, both made before its tests and dropped after.</summary>
public abstract class StoreTestClass : IAsyncLifetime
{
    protected TestDatabase Database { get; private set; } = null!;

    protected EventStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Store = TestStores.Create(Database);
    }

    public async Task DisposeAsync() => await Database.DisposeAsync();
}
