using System.Globalization;
using RelationshipLedger.Api.Tests.Support;

namespace RelationshipLedger.Api.Tests.Faults;

/// <summary>A command a client sends until it is acknowledged: always the same key, path and body.</summary>
public sealed record IdempotentCommand(string Key, string Path, string Body)
{
    /// <summary>
    /// The crash test's workload, the same for a given seed: a registration for each customer, then
    /// per writer purchases, contacts and surveys for random customers, each with a key of its own.
    /// </summary>
    public static (IReadOnlyList<IdempotentCommand> Registrations, IReadOnlyList<IdempotentCommand>[] Writers) Plan(
        Random random,
        string run,
        int customers,
        int writers,
        int commandsPerWriter
    )
    {
        ArgumentNullException.ThrowIfNull(random);
        var ids = Enumerable.Range(0, customers).Select(c => $"{run}-c{c}").ToArray();
        var registrations = ids.Select(id => new IdempotentCommand(
                $"{id}-registered",
                "/customers",
                LedgerHttp.Serialize(
                    new
                    {
                        customerId = id,
                        name = "Harbour Logistics",
                        kind = "Organization",
                    }
                )
            ))
            .ToArray();
        var plans = new IReadOnlyList<IdempotentCommand>[writers];
        for (var w = 0; w < writers; w++)
        {
            var plan = new List<IdempotentCommand>();
            for (var i = 0; i < commandsPerWriter; i++)
            {
                var key = $"{run}-w{w}-{i.ToString(CultureInfo.InvariantCulture)}";
                var customer = ids[random.Next(ids.Length)];
                plan.Add(
                    random.Next(3) switch
                    {
                        0 => new(
                            key,
                            $"/customers/{customer}/purchases",
                            LedgerHttp.Serialize(
                                new
                                {
                                    orderId = key,
                                    amount = random.Next(1, 5000),
                                    currency = "EUR",
                                }
                            )
                        ),
                        1 => new(
                            key,
                            $"/customers/{customer}/contacts",
                            LedgerHttp.Serialize(
                                new
                                {
                                    channel = "Phone",
                                    initiator = "Company",
                                    purpose = "Sales",
                                }
                            )
                        ),
                        _ => new(
                            key,
                            $"/customers/{customer}/surveys",
                            LedgerHttp.Serialize(new { surveyId = key, rating = random.Next(1, 6) })
                        ),
                    }
                );
            }
            plans[w] = plan;
        }
        return (registrations, plans);
    }
}
