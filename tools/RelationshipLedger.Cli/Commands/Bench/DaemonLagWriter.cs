using RelationshipLedger.Application.Customers;
using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>
/// One command per call through the command handler, over a pool of customers of its own: surveys,
/// purchases and complaints in turn — events the asynchronous read models consume — as API clients
/// would record them.
/// </summary>
internal sealed class DaemonLagWriter(CustomerCommandHandler handler, IReadOnlyList<string> customers) : IBenchWriter
{
    private static readonly CommandContext Context = new("bench");
    private long _calls;

    public async Task<int> WriteOnceAsync(CancellationToken cancellationToken)
    {
        var call = ++_calls;
        var customerId = customers[(int)(call % customers.Count)];
        var now = DateTimeOffset.UtcNow;
        CustomerCommand command = (call % 3) switch
        {
            0 => new CustomerCommand.RecordSurvey($"survey-{call}", 1 + (int)(call % 5), Recommend: (int)(call % 11))
            {
                IssuedAt = now,
            },
            1 => new CustomerCommand.RecordPurchase($"order-{call}", 50 + (call % 40), "EUR") { IssuedAt = now },
            _ => new CustomerCommand.FileComplaint(
                $"complaint-{call}",
                ComplaintCategory.Service,
                ComplaintSeverity.Low,
                "late"
            )
            {
                IssuedAt = now,
            },
        };
        var outcome = await handler.HandleAsync(customerId, command, Context, cancellationToken);
        if (!outcome.IsAccepted)
            throw new InvalidOperationException($"The benchmark's command on {customerId} was refused.");
        return 1;
    }
}
