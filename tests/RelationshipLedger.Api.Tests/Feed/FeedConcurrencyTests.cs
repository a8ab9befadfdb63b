using System.Text.Json;
using Npgsql;
using RelationshipLedger.Api.Tests.Support;
using RelationshipLedger.EventStore;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Api.Tests.Feed;

/// <summary>
/// A client pages through GET /events while writers append through the API, other appends roll back,
/// and one append is held open after inserting its event: the client must get every committed event
/// exactly once in global order, which means waiting for the held event rather than paging past it.
/// </summary>
public sealed class FeedConcurrencyTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    private const int Writers = 2;
    private const int CommittedPastTheHeldEvent = 20;

    [Fact]
    public async Task Paging_while_others_write_gives_every_committed_event_once_in_order()
    {
        using var stopWriting = new CancellationTokenSource();
        using var stopReading = new CancellationTokenSource();
        var reader = new FeedReader(api.Bootstrap, limit: 7);
        var reading = Task.Run(() => reader.FollowAsync(stopReading.Token));
        var writing = Enumerable
            .Range(1, Writers)
            .Select(w => Task.Run(() => RecordUntilStoppedAsync($"writer-{w}", stopWriting.Token)))
            .ToArray();
        var rollingBack = Task.Run(() => RollBackUntilStoppedAsync(stopWriting.Token));
        RawEvent held;
        await using (var connection = await api.Database.DataSource.OpenConnectionAsync())
        {
            await using var transaction = await connection.BeginTransactionAsync();
            held = await RawAppend.AppendAsync(connection, transaction, LedgerHttp.NewCustomerId("held"));

            // Later transactions commit events numbered after the held one: paging by seq_id alone would pass it.
            await Eventually.IsTrueAsync(
                async () =>
                {
                    // A writer that failed would never get there: its failure is the answer.
                    if (writing.Append(rollingBack).FirstOrDefault(w => w.IsFaulted) is { } failed)
                        await failed;
                    return await CommittedAfterAsync(held.Position) >= CommittedPastTheHeldEvent;
                },
                $"{CommittedPastTheHeldEvent} events with a higher seq_id to commit while the append is held"
            );
            var pollsBefore = reader.CompletedPolls;
            await Eventually.IsTrueAsync(
                () => Task.FromResult(reader.CompletedPolls >= pollsBefore + 2),
                "the client to read two more pages"
            );

            var deliveredWhileHeld = reader.Delivered();
            Assert.DoesNotContain(deliveredWhileHeld, e => e.EventId == held.EventId);
            Assert.All(
                deliveredWhileHeld,
                e =>
                    Assert.True(
                        e.Position.TransactionId < held.Position.TransactionId,
                        $"{e.Position} was delivered past the open {held.Position}"
                    )
            );
            await transaction.CommitAsync();
        }
        await Eventually.IsTrueAsync(
            () => Task.FromResult(reader.Delivered().Any(e => e.EventId == held.EventId)),
            "the held event to be delivered once committed"
        );
        await stopWriting.CancelAsync();
        var committed = (await Task.WhenAll(writing)).SelectMany(ids => ids).Append(held.EventId).ToHashSet();
        var rolledBack = await rollingBack;
        var stored = await RawAppend.LogOrderAsync(api.Database.DataSource);
        await Eventually.IsTrueAsync(
            () => Task.FromResult(reader.Delivered().Count >= stored.Count),
            "the client to catch up with every committed event"
        );
        await stopReading.CancelAsync();
        await reading;

        var delivered = reader.Delivered();
        Assert.Equal(stored, delivered.Select(e => e.EventId));
        Assert.All(
            delivered.Zip(delivered.Skip(1)),
            pair =>
                Assert.True(
                    pair.First.Position < pair.Second.Position,
                    $"{pair.First.Position} then {pair.Second.Position}"
                )
        );
        Assert.Equal(committed.Order(), stored.Order());
        Assert.NotEmpty(rolledBack);
        Assert.DoesNotContain(delivered, e => rolledBack.Contains(e.EventId));
    }

    /// <summary>Records contacts for a customer of its own through the API until stopped; the ids of what committed.</summary>
    private async Task<IReadOnlyList<Guid>> RecordUntilStoppedAsync(string prefix, CancellationToken stop)
    {
        var id = LedgerHttp.NewCustomerId(prefix);
        var committed = new List<Guid>((await api.Recorder.RegisterAsync(id)).EventIds);
        while (!stop.IsCancellationRequested)
        {
            var answer = await api.Recorder.CommandAsync(
                $"/customers/{id}/contacts",
                new
                {
                    channel = "Email",
                    initiator = "Customer",
                    purpose = "Service",
                }
            );
            committed.AddRange(answer.EventIds);
        }
        return committed;
    }

    /// <summary>Appends in transactions that roll back, until stopped; the ids that were inserted and never committed.</summary>
    private async Task<IReadOnlyList<Guid>> RollBackUntilStoppedAsync(CancellationToken stop)
    {
        var rolledBack = new List<Guid>();
        var streamId = LedgerHttp.NewCustomerId("rolled-back");
        while (!stop.IsCancellationRequested)
        {
            await using var connection = await api.Database.DataSource.OpenConnectionAsync(CancellationToken.None);
            await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
            rolledBack.Add((await RawAppend.AppendAsync(connection, transaction, streamId)).EventId);
            await transaction.RollbackAsync(CancellationToken.None);
        }
        return rolledBack;
    }

    private async Task<long> CommittedAfterAsync(GlobalPosition position)
    {
        await using var command = api.Database.DataSource.CreateCommand(
            "select count(*) from ledger.events where seq_id > $1"
        );
        command.Parameters.Add(new NpgsqlParameter { Value = position.SequenceId });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private sealed record Delivery(Guid EventId, GlobalPosition Position);

    /// <summary>Pages through the feed from the start, each page from the last one's next, as a data team's job would.</summary>
    private sealed class FeedReader(HttpClient client, int limit)
    {
        private readonly Lock _lock = new();
        private readonly List<Delivery> _delivered = [];
        private int _completedPolls;

        public int CompletedPolls => Volatile.Read(ref _completedPolls);

        public IReadOnlyList<Delivery> Delivered()
        {
            lock (_lock)
                return [.. _delivered];
        }

        public async Task FollowAsync(CancellationToken stop)
        {
            var after = GlobalPosition.Start.ToString();
            while (!stop.IsCancellationRequested)
            {
                var page = await client.PageAsync($"?after={after}&limit={limit}");
                lock (_lock)
                    _delivered.AddRange(page.Events.Select(Read));
                after = page.Next;
                Interlocked.Increment(ref _completedPolls);
            }
        }

        private static Delivery Read(JsonElement e) =>
            new(e.GetProperty("eventId").GetGuid(), GlobalPosition.Parse(e.GetProperty("position").GetString()!));
    }
}
