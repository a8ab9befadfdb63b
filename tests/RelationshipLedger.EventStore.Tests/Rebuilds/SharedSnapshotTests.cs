using Npgsql;
using RelationshipLedger.EventStore.Rebuilds;

namespace RelationshipLedger.EventStore.Tests.Rebuilds;

/// <summary>
/// The rebuild hashes the shadow and the live model on two sessions at once: the second must read in the
/// snapshot the first exported, so that the live hash is of the rows at the checkpoint read in the first.
/// </summary>
public sealed class SharedSnapshotTests : StoreTestClass
{
    [Fact]
    public async Task A_session_in_an_exported_snapshot_reads_the_rows_the_exporter_reads_not_those_committed_since()
    {
        await ExecuteAsync("create table ledger.snapshot_rows (n int); insert into ledger.snapshot_rows values (1)");
        await using var exporter = await Database.DataSource.OpenConnectionAsync();
        await using var exported = await ContentHashes.BeginSnapshotAsync(exporter, CancellationToken.None);
        var snapshot = await ContentHashes.ExportSnapshotAsync(exporter, exported, CancellationToken.None);

        await ExecuteAsync("insert into ledger.snapshot_rows values (2)");

        await using var importer = await Database.DataSource.OpenConnectionAsync();
        await using (
            var imported = await ContentHashes.BeginInSnapshotAsync(importer, snapshot, CancellationToken.None)
        )
            Assert.Equal(1, await CountAsync(importer, imported));
        await using var fresh = await ContentHashes.BeginSnapshotAsync(importer, CancellationToken.None);
        Assert.Equal(2, await CountAsync(importer, fresh));
    }

    [Fact]
    public async Task Only_a_snapshot_id_goes_into_the_statement()
    {
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        await Assert.ThrowsAsync<ArgumentException>(() =>
            ContentHashes.BeginInSnapshotAsync(connection, "1-2'; drop table ledger.events; --", CancellationToken.None)
        );
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = Database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        await using var command = new NpgsqlCommand(
            "select count(*) from ledger.snapshot_rows",
            connection,
            transaction
        );
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
