using RelationshipLedger.EventStore.Projections;
using RelationshipLedger.Testing;

namespace RelationshipLedger.EventStore.Tests;

/// <summary>
/// Writers commit, some appends roll back and one is held open after inserting its event, while a
/// reader follows the global log: it must wait for the held event rather than skip it.
/// </summary>
public sealed class GapFreeGlobalOrderTests : HeldAppendTestClass
{
    private const int Writers = 3;
    private const int CommittedPastTheHeldEvent = 30;

    [Fact]
    public async Task A_log_reader_waits_for_an_open_append_and_gets_every_committed_event_once_in_order()
    {
        using var stopWriting = new CancellationTokenSource();
        using var stopReading = new CancellationTokenSource();
        var follower = new LogFollower(Store, pageSize: 7);
        var reading = Task.Run(() => follower.FollowAsync(stopReading.Token));
        var writing = Enumerable
            .Range(1, Writers)
            .Select(w => Task.Run(() => WriteUntilStoppedAsync($"w-{w}", stopWriting.Token)))
            .ToArray();
        var heldId = Guid.NewGuid();
        try
        {
            var heldAppend = Task.Run(() =>
                Store.AppendAsync("held", ExpectedVersion.NoStream, [new(new NoteAdded(HoldNote)) { EventId = heldId }])
            );
            var held = await HoldOrRollBack.HeldEventInserted.WaitAsync(Eventually.DefaultTimeout);

            // Later transactions commit events numbered after the held one: a reader going by seq_id alone would pass it.
            await Eventually.IsTrueAsync(
                async () => await CommittedAfterAsync(held.Position.SequenceId) >= CommittedPastTheHeldEvent,
                $"{CommittedPastTheHeldEvent} events with a higher seq_id to commit while the append is held"
            );
            var pollsBefore = follower.CompletedPolls;
            await Eventually.IsTrueAsync(
                () => Task.FromResult(follower.CompletedPolls >= pollsBefore + 2),
                "the reader to poll twice more"
            );
            var deliveredWhileHeld = follower.Delivered();
            Assert.False(heldAppend.IsCompleted, "the held append must still be open while the reader is checked");

            Assert.DoesNotContain(deliveredWhileHeld, e => e.EventId == heldId);
            Assert.All(
                deliveredWhileHeld,
                e =>
                    Assert.True(
                        e.Position.TransactionId < held.Position.TransactionId,
                        $"{e.Position} was delivered past the open {held.Position}"
                    )
            );

            HoldOrRollBack.Release();
            Assert.Equal(held.Position, (await heldAppend).Events[0].Position);
            await Eventually.IsTrueAsync(
                () => Task.FromResult(follower.Delivered().Any(e => e.EventId == heldId)),
                "the released event to be delivered"
            );
        }
        finally
        {
            HoldOrRollBack.Release();
            await stopWriting.CancelAsync();
        }

        var writers = await Task.WhenAll(writing);
        var stored = await LedgerSql.ScalarAsync<long>(Database.DataSource, "select count(*) from ledger.events");
        await Eventually.IsTrueAsync(
            () => Task.FromResult(follower.Delivered().Count >= stored),
            "the reader to catch up with every committed event"
        );
        await stopReading.CancelAsync();
        await reading;

        var delivered = follower.Delivered();
        Assert.Equal(stored, delivered.Count);
        Assert.Equal(delivered.Count, delivered.Select(e => e.EventId).Distinct().Count());
        Assert.All(
            delivered.Zip(delivered.Skip(1)),
            pair =>
                Assert.True(
                    pair.First.Position < pair.Second.Position,
                    $"{pair.First.Position} then {pair.Second.Position}"
                )
        );
        var committed = writers.SelectMany(w => w.Committed).Append(heldId).ToHashSet();
        Assert.Equal(committed.Order(), delivered.Select(e => e.EventId).Order());
        var rolledBack = writers.SelectMany(w => w.RolledBack).ToList();
        Assert.NotEmpty(rolledBack);
        Assert.DoesNotContain(delivered, e => rolledBack.Contains(e.EventId));
        Assert.Equal(0, await LedgerSql.CountEventsAsync(Database.DataSource, rolledBack));
    }

    private sealed record WriterOutcome(IReadOnlyList<Guid> Committed, IReadOnlyList<Guid> RolledBack);

    /// <summary>Appends batches of one to three purchases at exact versions; every fourth append also carries a note that rolls it back.</summary>
    private async Task<WriterOutcome> WriteUntilStoppedAsync(string streamId, CancellationToken stop)
    {
        var committed = new List<Guid>();
        var rolledBack = new List<Guid>();
        long version = 0;
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            List<EventToAppend> batch =
            [
                .. Enumerable
                    .Range(0, n % 3 + 1)
                    .Select(i => TestStores.Purchase($"{streamId}-{n}-{i}", 1m) with { EventId = Guid.NewGuid() }),
            ];
            if (n % 4 == 3)
                batch.Add(new EventToAppend(new NoteAdded(RollBackNote)) { EventId = Guid.NewGuid() });
            var ids = batch.Select(e => e.EventId!.Value);
            try
            {
                version = (
                    await Store.AppendAsync(
                        streamId,
                        ExpectedVersion.Exactly(version),
                        batch,
                        cancellationToken: CancellationToken.None
                    )
                ).StreamVersion;
                committed.AddRange(ids);
            }
            catch (RolledBackOnPurposeException)
            {
                rolledBack.AddRange(ids);
            }
        }
        return new WriterOutcome(committed, rolledBack);
    }

    private Task<long> CommittedAfterAsync(long sequenceId) =>
        LedgerSql.ScalarAsync<long>(
            Database.DataSource,
            "select count(*) from ledger.events where seq_id > $1",
            [sequenceId]
        );
}
