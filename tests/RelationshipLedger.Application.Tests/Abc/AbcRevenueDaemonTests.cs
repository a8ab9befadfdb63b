using Npgsql;
using RelationshipLedger.Application.Abc;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Daemon;
using RelationshipLedger.Testing;
using static RelationshipLedger.Domain.Customers.CustomerCommand;

namespace RelationshipLedger.Application.Tests.Abc;

/// <summary>
/// The abc_revenue read model kept by the daemon from histories written through the command handler
/// (back-dated, out of order, refunds, two currencies), classified by ledger.abc_classes_at at several
/// instants, equals §2.5 computed in C# from each stream folded with the domain's revenue rules.
/// </summary>
public sealed class AbcRevenueDaemonTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Start = new(2023, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly CommandContext Recorder = new("abc-test");
    private Ledger _ledger = null!;

    public async Task InitializeAsync() => _ledger = await Ledger.CreateAsync();

    public async Task DisposeAsync() => await _ledger.DisposeAsync();

    [Fact]
    public async Task The_classes_from_the_read_model_equal_a_fold_of_every_stream_at_several_instants()
    {
        var random = new Random(2025);
        var ids = Enumerable.Range(1, 30).Select(i => $"abc-{i}").ToArray();
        var writes = new List<(string Id, CustomerCommand Command)>();
        foreach (var id in ids)
            writes.AddRange(History(id, random));
        // Customers take turns: the first half is in the log before the daemon starts, so its batches of
        // seven hold refunds with their purchases and refunds of purchases in earlier batches; the rest
        // is written while the daemon runs.
        var interleaved = Interleaved(writes, random).ToArray();
        await AppendPurchaseAndRefundTogetherAsync("abc-same-batch");
        foreach (var (id, command) in interleaved.Take(interleaved.Length / 2))
            await WriteAsync(id, command);
        await using (var daemon = StartDaemon())
        {
            foreach (var (id, command) in interleaved.Skip(interleaved.Length / 2))
                await WriteAsync(id, command);
            await WaitUntilCaughtUpAsync();
        }

        var states = new Dictionary<string, CustomerState>(StringComparer.Ordinal);
        foreach (var id in ids.Append("abc-same-batch"))
            states[id] = (await _ledger.Loader.LoadFromScratchAsync(id, TimeTravel.Now)).State;
        var facts = new AbcFacts(_ledger.Database.DataSource);
        var firstPurchase = states.Values.SelectMany(s => s.Purchases).Min(p => p.Moment.At);
        DateTimeOffset[] instants =
        [
            Start + TimeSpan.FromDays(20),
            Start + TimeSpan.FromDays(200),
            new(2024, 6, 30, 23, 59, 59, TimeSpan.Zero),
            firstPurchase + TimeSpan.FromDays(365),
            firstPurchase + TimeSpan.FromDays(365) - TimeSpan.FromTicks(10),
            new(2025, 9, 15, 8, 0, 0, TimeSpan.Zero),
            Now,
        ];
        foreach (var asOf in instants)
        {
            var expected = AbcByHand.ClassesAt(states, asOf);
            Assert.Equal(expected, await facts.ClassesAtAsync(asOf));
        }
        var now = AbcByHand.ClassesAt(states, Now);
        Assert.Contains(now, l => l.EndsWith("|A", StringComparison.Ordinal));
        Assert.Contains(now, l => l.EndsWith("|B", StringComparison.Ordinal));
        Assert.Contains(now, l => l.Contains("|USD|", StringComparison.Ordinal));
        Assert.Equal(await CountEventsAsync(), await CountRowsAsync());
    }

    /// <summary>A registration, a purchase and its refund in one append: the daemon applies them in one batch.</summary>
    private async Task AppendPurchaseAndRefundTogetherAsync(string id)
    {
        var at = Start + TimeSpan.FromDays(400);
        await _ledger.Store.AppendAsync(
            id,
            ExpectedVersion.Exactly(0),
            [
                new(new CustomerEvent.CustomerRegistered("Same Batch Ltd", CustomerKind.Organization))
                {
                    OccurredAt = at,
                },
                new(new CustomerEvent.PurchaseRecorded($"{id}-o1", 300m, "USD")) { OccurredAt = at },
                new(new CustomerEvent.PurchaseRefunded($"{id}-o1", 100m, "damaged"))
                {
                    OccurredAt = at + TimeSpan.FromDays(1),
                },
            ],
            CustomerId.StreamType
        );
    }

    private async Task WriteAsync(string id, CustomerCommand command)
    {
        var outcome = await _ledger.Handler.HandleAsync(id, command, Recorder);
        Assert.True(outcome.IsAccepted, $"{id}: {command} was refused");
    }

    private RunningDaemon StartDaemon() =>
        RunningDaemon.Start(
            _ledger.Store,
            LedgerServices.CreateAsyncProjections(_ledger.Store.Serializer),
            RunningDaemon.FastOptions("abc") with
            {
                BatchSize = 7,
            }
        );

    private Task WaitUntilCaughtUpAsync() =>
        RunningDaemon.CaughtUpAsync(_ledger.Database.DataSource, AbcRevenueProjection.ProjectionName);

    /// <summary>
    /// A registration, then purchases back-dated over up to three years in any order (amounts from a few
    /// round values, so that ties happen), refunds of some of them; a few customers never buy.
    /// </summary>
    private static List<(string, CustomerCommand)> History(string id, Random random)
    {
        var registered = Start + TimeSpan.FromDays(random.Next(0, 500));
        var commands = new List<(string, CustomerCommand)>
        {
            (
                id,
                new RegisterCustomer("Abc Ltd", CustomerKind.Organization) { IssuedAt = Now, OccurredAt = registered }
            ),
        };
        if (random.Next(6) == 0)
            return commands;
        var currency = random.Next(4) == 0 ? "USD" : "EUR";
        var span = (int)(Now - registered).TotalHours;
        for (var n = 1; n <= random.Next(1, 9); n++)
        {
            var at = registered + TimeSpan.FromHours(random.Next(1, span));
            var amount = 100m * random.Next(1, 6);
            commands.Add((id, new RecordPurchase($"{id}-o{n}", amount, currency) { IssuedAt = Now, OccurredAt = at }));
            if (random.Next(3) == 0)
            {
                var refundAt = at + TimeSpan.FromDays(random.Next(0, 60));
                commands.Add(
                    (
                        id,
                        new RefundPurchase($"{id}-o{n}", amount / 2, "returned")
                        {
                            IssuedAt = Now,
                            OccurredAt = refundAt < Now ? refundAt : Now,
                        }
                    )
                );
            }
        }
        return commands;
    }

    /// <summary>Each customer's commands in their order, customers interleaved at random.</summary>
    private static IEnumerable<(string Id, CustomerCommand Command)> Interleaved(
        List<(string Id, CustomerCommand Command)> writes,
        Random random
    )
    {
        var queues = writes.GroupBy(w => w.Id).Select(g => new Queue<(string, CustomerCommand)>(g)).ToList();
        while (queues.Count > 0)
        {
            var queue = queues[random.Next(queues.Count)];
            yield return queue.Dequeue();
            if (queue.Count == 0)
                queues.Remove(queue);
        }
    }

    private Task<long> CountEventsAsync() =>
        ScalarAsync(
            "select count(*) from ledger.events where type in ('CustomerRegistered', 'PurchaseRecorded', 'PurchaseRefunded')"
        );

    private Task<long> CountRowsAsync() =>
        ScalarAsync("select (select count(*) from ledger.abc_customers) + (select count(*) from ledger.abc_revenue)");

    private async Task<long> ScalarAsync(string sql)
    {
        await using var command = _ledger.Database.DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
