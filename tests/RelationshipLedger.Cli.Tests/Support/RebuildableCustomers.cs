using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Customers.Caching;
using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Cli.Tests.Support;

/// <summary>
/// Three customers for the rebuild tests, <c>rebuilt-0</c> to <c>rebuilt-2</c>, registered on 2025-03-01,
/// each surveyed twice (ratings 3 and 4) on the following days — after a purchase the day after registering,
/// when <paramref name="withPurchases"/> — through the command handler.
/// </summary>
internal static class RebuildableCustomers
{
    public static async Task WriteAsync(
        EventStore.EventStore store,
        CustomerStateCache cache,
        string actor,
        bool withPurchases
    )
    {
        var handler = new CustomerCommandHandler(store, new CustomerStateLoader(store, cache));
        var context = new CommandContext(actor);
        var at = new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);
        var firstSurveyDay = withPurchases ? 2 : 1;
        for (var c = 0; c < 3; c++)
        {
            var id = $"rebuilt-{c}";
            await handler.HandleAsync(
                id,
                new CustomerCommand.RegisterCustomer($"Customer {c}", CustomerKind.Organization) { IssuedAt = at },
                context
            );
            if (withPurchases)
                await handler.HandleAsync(
                    id,
                    new CustomerCommand.RecordPurchase($"order-{c}", 100m + c, "EUR") { IssuedAt = at.AddDays(1) },
                    context
                );
            for (var s = 0; s < 2; s++)
                await handler.HandleAsync(
                    id,
                    new CustomerCommand.RecordSurvey($"s-{s}", 3 + s, Recommend: 8)
                    {
                        IssuedAt = at.AddDays(s + firstSurveyDay),
                    },
                    context
                );
        }
    }
}
