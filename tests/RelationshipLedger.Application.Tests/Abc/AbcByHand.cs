using System.Globalization;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Application.Tests.Abc;

/// <summary>
/// domain.md §2.5 computed in C#, independently of the SQL function, from folded customer states and
/// the domain's own net revenue: one pyramid per currency (docs/abc.md), ranked by net revenue then
/// ordinal id; A while those above hold less than 80 % of the positive total, B below 95 %, else C.
/// Lines as <see cref="AbcFacts.ClassesAtAsync"/> gives them: <c>customer|currency|net|rank|class</c>.
/// </summary>
public static class AbcByHand
{
    public static IReadOnlyList<string> ClassesAt(
        IReadOnlyDictionary<string, CustomerState> customers,
        DateTimeOffset asOf
    )
    {
        ArgumentNullException.ThrowIfNull(customers);
        var lines = new List<(string Id, string Line)>();
        var entries = customers
            .Where(c => c.Value.Registered.At <= asOf)
            .Select(c =>
            {
                var inWindow = c
                    .Value.Purchases.Concat(c.Value.Refunds)
                    .Any(f => f.Moment.At > asOf - AbcRules.TrailingWindow && f.Moment.At <= asOf);
                return (
                    Id: c.Key,
                    Currency: inWindow ? c.Value.Currency : null,
                    Net: inWindow ? AbcRules.NetRevenueAt(c.Value, asOf) : 0m
                );
            });
        foreach (var pyramid in entries.GroupBy(e => e.Currency))
        {
            var ranked = pyramid.OrderByDescending(e => e.Net).ThenBy(e => e.Id, StringComparer.Ordinal).ToArray();
            var total = ranked.Sum(e => Math.Max(e.Net, 0m));
            var above = 0m;
            for (var i = 0; i < ranked.Length; i++)
            {
                var e = ranked[i];
                var abcClass =
                    e.Net <= 0 ? "C"
                    : above < 0.80m * total ? "A"
                    : above < 0.95m * total ? "B"
                    : "C";
                lines.Add(
                    (
                        e.Id,
                        string.Join(
                            '|',
                            e.Id,
                            e.Currency ?? "-",
                            e.Net.ToString("0.####", CultureInfo.InvariantCulture),
                            i + 1,
                            abcClass
                        )
                    )
                );
                above += Math.Max(e.Net, 0m);
            }
        }
        return [.. lines.OrderBy(l => l.Id, StringComparer.Ordinal).Select(l => l.Line)];
    }
}
