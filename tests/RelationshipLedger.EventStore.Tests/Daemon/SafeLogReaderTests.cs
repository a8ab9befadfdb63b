using RelationshipLedger.EventStore.Daemon;
using RelationshipLedger.Testing;

namespace RelationshipLedger.EventStore.Tests.Daemon;

/// <summary>
/// The daemon's view of the log: how far it may read, and whether committed events wait behind an
/// open append (which makes a runner look again sooner). An append is held open after inserting its event.
/// </summary>
public sealed class SafeLogReaderTests : HeldAppendTestClass
{
    [Fact]
    public async Task An_empty_log_has_nothing_to_read_and_nothing_held_back()
    {
        var batch = await new SafeLogReader(Store).ReadAsync(GlobalPosition.Start, 10, null, CancellationToken.None);

        Assert.Empty(batch.Events);
        Assert.Equal(GlobalPosition.Start, batch.Through);
        Assert.False(batch.HeldBack);
    }

    /// <summary>
    /// The safe part of the log ends below the oldest transaction running anywhere in the cluster, and
    /// the other tests' databases share it: where another session's transaction may still be open, the
    /// reader is asked again until it ends (with a deadline), not once. While the append is held open,
    /// committed events behind it are held back whatever else runs.
    /// </summary>
    [Fact]
    public async Task Events_committed_behind_an_open_append_are_held_back_until_it_ends()
    {
        var reader = new SafeLogReader(Store);
        var before = await AppendNoteAsync("before", "committed first");
        var heldAppend = Task.Run(() =>
            Store.AppendAsync("held", ExpectedVersion.NoStream, [new(new NoteAdded(HoldNote))])
        );
        var held = await HoldOrRollBack.HeldEventInserted.WaitAsync(Eventually.DefaultTimeout);

        // Open, with nothing committed after it: nothing waits yet.
        await ReadUntilAsync(reader, b => !b.HeldBack && b.Through == before, "the event before the open append");

        var after = await AppendNoteAsync("after", "committed behind the open append");
        var behindOpen = await ReadUntilAsync(reader, b => b.Through == before, "the event before the open append");
        Assert.True(behindOpen.HeldBack);
        Assert.Equal([before], behindOpen.Events.Select(e => e.Position));

        HoldOrRollBack.Release();
        await heldAppend;
        // Whether anything is held back is read before the page, from a snapshot of its own: another
        // database's transaction may still hold that answer back after the page has every event.
        var released = await ReadUntilAsync(
            reader,
            b => !b.HeldBack && b.Through == after,
            "every event, nothing held back, the append released"
        );
        Assert.Equal([before, held.Position, after], released.Events.Select(e => e.Position));
    }

    private static Task<SafeBatch> ReadUntilAsync(SafeLogReader reader, Func<SafeBatch, bool> isDone, string through) =>
        Eventually.ReturnsAsync(
            () => reader.ReadAsync(GlobalPosition.Start, 10, null, CancellationToken.None),
            isDone,
            $"the safe log to reach {through}"
        );

    private async Task<GlobalPosition> AppendNoteAsync(string streamId, string text)
    {
        var result = await Store.AppendAsync(streamId, ExpectedVersion.NoStream, [new(new NoteAdded(text))]);
        return result.Events[0].Position;
    }
}
