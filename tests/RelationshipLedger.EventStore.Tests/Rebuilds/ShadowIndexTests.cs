using Npgsql;

namespace RelationshipLedger.EventStore.Tests.Rebuilds;

/// <summary>
/// The owner's functions that leave indexes out of a shadow until the bulk is done (migration 0011):
/// only plain indexes of the tables can be left out, building restores exactly the live ones, and the
/// swap refuses a shadow that lacks one.
/// </summary>
public sealed class ShadowIndexTests : StoreTestClass
{
    [Fact]
    public async Task Only_plain_indexes_of_the_projection_tables_can_be_built_after_the_bulk()
    {
        var projection = new LogCopyProjection("copy_refused");
        await projection.CreateTableAsync(Database.DataSource);

        var primaryKey = await Assert.ThrowsAsync<PostgresException>(() =>
            ExecuteAsync(
                $"select ledger.rebuild_create_shadows(array['{projection.Table}'], array['{projection.Table}_pkey'])"
            )
        );
        Assert.Equal(PostgresErrorCodes.ObjectNotInPrerequisiteState, primaryKey.SqlState);
        var unknown = await Assert.ThrowsAsync<PostgresException>(() =>
            ExecuteAsync($"select ledger.rebuild_create_shadows(array['{projection.Table}'], array['no_such_index'])")
        );
        Assert.Equal(PostgresErrorCodes.UndefinedObject, unknown.SqlState);
        Assert.Equal(
            0,
            await CountAsync($"select count(*) from pg_class where relname = '{projection.Table}_rebuild'")
        );
    }

    [Fact]
    public async Task The_swap_refuses_a_shadow_without_an_index_of_the_live_table_and_takes_it_once_built()
    {
        var projection = new LogCopyProjection("copy_unbuilt");
        await projection.CreateTableAsync(Database.DataSource);
        await ExecuteAsync(
            $"select ledger.rebuild_create_shadows(array['{projection.Table}'], array['{projection.IndexByStream}'])"
        );
        var liveTable = await CountAsync($"select '{"ledger." + projection.Table}'::regclass::oid::bigint");

        var refused = await Assert.ThrowsAsync<PostgresException>(() =>
            ExecuteAsync($"select ledger.rebuild_swap_shadows(array['{projection.Table}'])")
        );
        Assert.Equal(PostgresErrorCodes.ObjectNotInPrerequisiteState, refused.SqlState);
        Assert.Equal(liveTable, await CountAsync($"select '{"ledger." + projection.Table}'::regclass::oid::bigint"));

        await ExecuteAsync($"select ledger.rebuild_build_indexes(array['{projection.Table}'])");
        await ExecuteAsync($"select ledger.rebuild_build_indexes(array['{projection.Table}'])"); // nothing left to build
        await ExecuteAsync($"select ledger.rebuild_swap_shadows(array['{projection.Table}'])");
        Assert.NotEqual(liveTable, await CountAsync($"select '{"ledger." + projection.Table}'::regclass::oid::bigint"));
        Assert.Equal(
            3,
            await CountAsync(
                $"select count(*) from pg_indexes where schemaname = 'ledger' and tablename = '{projection.Table}' "
                    + $"and indexname in ('{projection.Table}_pkey', '{projection.Table}_event_id_key', '{projection.IndexByStream}')"
            )
        );
        Assert.Equal(
            3,
            await CountAsync(
                $"select count(*) from pg_indexes where schemaname = 'ledger' and tablename = '{projection.Table}'"
            )
        );
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = Database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var command = Database.DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
