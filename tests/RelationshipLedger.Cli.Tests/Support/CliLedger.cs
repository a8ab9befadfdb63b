using RelationshipLedger.Application;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Cli.Tests.Support;

/// <summary>
/// A database of the test cluster with the whole ledger schema (event store and read models), and the
/// ledger command pointed at it. A test class gets one as a class fixture, or one per test when its
/// tests damage the ledger; xunit runs a class's tests one after another, so a test may count every event.
/// </summary>
public sealed class CliLedger : IAsyncLifetime
{
    private TestDatabase? _database;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("The ledger is not created yet.");

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(migrated: false);
        await LedgerSchema.MigrateAsync(_database.DataSource);
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
            await _database.DisposeAsync();
    }

    /// <summary>Runs <c>ledger</c> with <paramref name="arguments"/> and <c>--connection</c> to this database.</summary>
    public Task<CliResult> RunAsync(params string[] arguments) =>
        CliProcess.RunAsync([.. arguments, "--connection", Database.ConnectionString]);

    public Task<IReadOnlyList<StoredEvent>> ReadStreamAsync(string streamId) =>
        StoredEvent.ReadStreamAsync(Database.DataSource, streamId);

    public Task<long> CountEventsAsync() => StoredEvent.CountAsync(Database.DataSource);
}
