using Npgsql;
using RelationshipLedger.Testing;

namespace RelationshipLedger.EventStore.Tests;

/// <summary>The readable head of the global log, and the watcher that wakes live readers when it moves.</summary>
public sealed class GlobalLogWatcherTests : StoreTestClass
{
    [Fact]
    public async Task The_readable_head_is_the_last_event_a_log_reader_can_read()
    {
        Assert.Equal(GlobalPosition.Start, await Store.GetReadableHeadAsync());

        var appended = await Store.AppendAsync(
            "head",
            ExpectedVersion.NoStream,
            [TestStores.Purchase("o-1", 1m), TestStores.Purchase("o-2", 2m)]
        );

        // Other test classes' transactions on the same server may hold readers back for a moment.
        var head = await Eventually.ReturnsAsync(
            () => Store.GetReadableHeadAsync(),
            h => h >= appended.LastPosition,
            "the appended events to be readable"
        );
        Assert.Equal(appended.LastPosition, head);
        Assert.Equal(head, (await Store.ReadAllAsync(GlobalPosition.Start, 100))[^1].Position);
    }

    [Fact]
    public async Task The_readable_head_stays_behind_an_open_append_until_it_commits()
    {
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var held = await AppendNoteAsync(connection, transaction, "held");
        var later = await Store.AppendAsync("later", ExpectedVersion.NoStream, [TestStores.Purchase("o-3", 3m)]);

        Assert.True(held < later.LastPosition);
        Assert.True(await Store.GetReadableHeadAsync() < held);

        await transaction.CommitAsync();
        await Eventually.IsTrueAsync(
            async () => await Store.GetReadableHeadAsync() == later.LastPosition,
            "the head to move past both events once the open append commits"
        );
    }

    [Fact]
    public async Task A_follower_is_woken_when_an_append_commits()
    {
        using var watcher = new GlobalLogWatcher(Store, TimeSpan.FromMilliseconds(10));
        using var stop = new CancellationTokenSource();
        var watching = watcher.RunAsync(stop.Token);
        try
        {
            using var following = watcher.Follow();
            await watcher.NextAdvance.WaitAsync(Eventually.DefaultTimeout); // the first look at the head
            var advance = watcher.NextAdvance;

            var appended = await Store.AppendAsync("woken", ExpectedVersion.NoStream, [TestStores.Purchase("o-4", 4m)]);

            await advance.WaitAsync(Eventually.DefaultTimeout);
            await Eventually.IsTrueAsync(
                async () => await Store.GetReadableHeadAsync() >= appended.LastPosition,
                "the append to be readable"
            );
        }
        finally
        {
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watching);
        }
    }

    private static async Task<GlobalPosition> AppendNoteAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string streamId
    )
    {
        await using var command = new NpgsqlCommand(
            "select tx_id, seq_id from ledger.append_event($1, 'stream', null, $2, 'NoteAdded', '{\"text\":\"held\"}', '{}', null)",
            connection,
            transaction
        )
        {
            Parameters =
            {
                new() { Value = streamId },
                new() { Value = Guid.NewGuid() },
            },
        };
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return new GlobalPosition(reader.GetFieldValue<ulong>(0), reader.GetInt64(1));
    }
}
