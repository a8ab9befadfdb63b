using RelationshipLedger.EventStore.Rebuilds;

namespace RelationshipLedger.EventStore.Tests.Rebuilds;

/// <summary>
/// The content hash sums row hashes instead of sorting rows: the same rows in another physical order
/// hash alike, and a row changed, missing or doubled does not.
/// </summary>
public sealed class ContentHashTests : StoreTestClass
{
    private static readonly string[] Rows = Enumerable
        .Range(1, 500)
        .Select(i => $"('{i}', {i}, '00000000-0000-0000-0000-{i:000000000000}', 's-{i % 7}', 'T')")
        .ToArray();

    [Fact]
    public async Task Rows_in_another_order_hash_alike_and_any_change_to_the_rows_changes_the_hash()
    {
        var projection = new LogCopyProjection("hashed");
        await projection.CreateTableAsync(Database.DataSource);

        await InsertAsync(projection, Rows);
        var inOrder = await ContentHashes.ComputeLiveAsync(Database.DataSource, projection);
        await ExecuteAsync($"truncate ledger.{projection.Table}");
        await InsertAsync(projection, Rows.Reverse());
        var reversed = await ContentHashes.ComputeLiveAsync(Database.DataSource, projection);
        Assert.Equal(inOrder, reversed);
        Assert.Equal(500, inOrder.Rows);
        Assert.Matches("^[0-9a-f]{64}$", inOrder.Hash);

        await ExecuteAsync($"update ledger.{projection.Table} set type = 'U' where position_seq = 250");
        var changed = await ContentHashes.ComputeLiveAsync(Database.DataSource, projection);
        Assert.NotEqual(inOrder.Hash, changed.Hash);
        Assert.Equal(500, changed.Rows);

        await ExecuteAsync($"delete from ledger.{projection.Table} where position_seq = 250");
        var missing = await ContentHashes.ComputeLiveAsync(Database.DataSource, projection);
        Assert.NotEqual(inOrder.Hash, missing.Hash);
        Assert.NotEqual(changed.Hash, missing.Hash);

        await ExecuteAsync($"alter table ledger.{projection.Table} drop constraint {projection.Table}_pkey");
        await ExecuteAsync($"alter table ledger.{projection.Table} drop constraint {projection.Table}_event_id_key");
        await InsertAsync(projection, [Rows[0], Rows[0]]);
        var doubled = await ContentHashes.ComputeLiveAsync(Database.DataSource, projection);
        Assert.Equal(501, doubled.Rows);
        Assert.NotEqual(missing.Hash, doubled.Hash);
    }

    private Task InsertAsync(LogCopyProjection projection, IEnumerable<string> rows) =>
        ExecuteAsync(
            $"insert into ledger.{projection.Table} (position_tx, position_seq, event_id, stream_id, type) values "
                + string.Join(", ", rows)
        );

    private async Task ExecuteAsync(string sql)
    {
        await using var command = Database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
