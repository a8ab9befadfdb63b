using RelationshipLedger.Testing;

namespace RelationshipLedger.EventStore.Tests;

/// <summary>
/// A test class with a database of its own and a store whose appends a note can hold open after
/// inserting their events (<see cref="HoldNote"/>) or roll back (<see cref="RollBackNote"/>); a held
/// append is released before the database is dropped.
/// </summary>
public abstract class HeldAppendTestClass : IAsyncLifetime
{
    protected const string HoldNote = "hold this append open";
    protected const string RollBackNote = "roll this append back";

    protected HoldOrRollBackProjection HoldOrRollBack { get; } =
        new(data => data is NoteAdded { Text: HoldNote }, data => data is NoteAdded { Text: RollBackNote });

    protected TestDatabase Database { get; private set; } = null!;

    protected EventStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Store = TestStores.Create(Database, HoldOrRollBack);
    }

    public async Task DisposeAsync()
    {
        HoldOrRollBack.Release();
        await Database.DisposeAsync();
    }
}
