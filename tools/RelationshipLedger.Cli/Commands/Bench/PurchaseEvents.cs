using System.Text;
using System.Text.Json;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Serialization;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>The benchmark's event: a customer's purchase, the most frequent fact a customer ledger records.</summary>
internal sealed record PurchaseMade(string OrderId, decimal Amount, string Currency, string Description);

/// <summary>
/// One writer's supply of purchases, each with its own order id, amount and correlation id, and a
/// description sized so that the payload's JSON is about the requested number of bytes. Not thread-safe.
/// </summary>
internal sealed class PurchaseEvents(int writer, int payloadBytes)
{
    private const string DescriptionText =
        "2 x espresso beans 1 kg, 1 x milk frother, 3 x ceramic cup, gift wrapped, delivery to the Leipzig store; ";

    public const string EventType = "PurchaseMade";

    private static readonly int JsonWithoutDescription = JsonSerializer
        .Serialize(new PurchaseMade("order-1-0000001", 123.45m, "EUR", ""), EventSerializer.DefaultOptions)
        .Length;

    private readonly string _description = Description(payloadBytes - JsonWithoutDescription);
    private readonly string _actor = $"bench-writer-{writer}";
    private long _orders;

    public static EventTypeMap Types() => new EventTypeMap().Register<PurchaseMade>(EventType);

    public EventToAppend Next()
    {
        var order = ++_orders;
        var amount = 5m + (order * 7919 % 49_500) / 100m;
        return new EventToAppend(new PurchaseMade($"order-{writer}-{order:0000000}", amount, "EUR", _description))
        {
            Metadata = new EventMetadata { Actor = _actor, CorrelationId = Guid.NewGuid().ToString() },
        };
    }

    public EventToAppend[] NextBatch(int size)
    {
        var batch = new EventToAppend[size];
        for (var i = 0; i < size; i++)
            batch[i] = Next();
        return batch;
    }

    private static string Description(int length)
    {
        if (length <= 0)
            return "";
        var text = new StringBuilder(length + DescriptionText.Length);
        while (text.Length < length)
            text.Append(DescriptionText);
        return text.ToString(0, length);
    }
}
