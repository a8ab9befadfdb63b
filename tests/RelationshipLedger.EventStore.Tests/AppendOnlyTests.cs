using Npgsql;
using RelationshipLedger.Testing;

namespace RelationshipLedger.EventStore.Tests;

public sealed class AppendOnlyTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private EventStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _store = TestStores.Create(_database);
        await _store.AppendAsync(
            "c-1",
            ExpectedVersion.NoStream,
            [new(new AccountOpened("Acme")), TestStores.Purchase("o-1", 10m)]
        );
        await _store.AppendAsync("c-2", ExpectedVersion.NoStream, [new(new AccountOpened("Beta"))]);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Theory]
    [InlineData("update ledger.events set data = '{\"name\": \"Evil\"}' where stream_id = 'c-1' and version = 1")]
    [InlineData("update ledger.events set version = version + 10")]
    [InlineData("update ledger.events set type = 'Nothing' where stream_id = 'no such stream'")]
    [InlineData("delete from ledger.events where stream_id = 'c-1' and version = 2")]
    [InlineData("delete from ledger.events")]
    [InlineData("delete from ledger.events where false")]
    [InlineData("truncate ledger.events")]
    [InlineData("truncate ledger.events cascade")]
    public async Task Changing_or_removing_stored_events_is_refused_and_changes_nothing(string sql)
    {
        var before = await LedgerSql.LogAsTextAsync(_database.DataSource);

        var refusal = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var command = _database.DataSource.CreateCommand(sql);
            await command.ExecuteNonQueryAsync();
        });

        Assert.Equal(PostgresErrorCodes.RestrictViolation, refusal.SqlState);
        Assert.Equal("23001", refusal.SqlState);
        Assert.Contains("append-only", refusal.MessageText, StringComparison.Ordinal);
        Assert.Equal(before, await LedgerSql.LogAsTextAsync(_database.DataSource));
        Assert.Equal(3, await LedgerSql.ScalarAsync<long>(_database.DataSource, "select count(*) from ledger.events"));
    }
}
