namespace RelationshipLedger.Api.Tests.Support;

/// <summary>
/// A small customer history, recorded through the API with business times relative to
/// <see cref="Start"/> (100 days ago), whose projected values the query tests work out by hand
/// from shared/domain.md §2:
/// <code>
/// v1  day  0  CustomerRegistered     Harbour Logistics, Organization, owner alice
/// v2  day  1  PurchaseRecorded       o-1, 1000 EUR
/// v3  day  5  ContactRecorded        Phone, Company, FollowUp (4 days after a purchase ⇒ Accountable)
/// v4  day 20  PurchaseRecorded       o-2, 500 EUR (second purchase, first within W ⇒ Growth)
/// v5  day 30  SatisfactionSurveyed   s-1, rating 5, recommend 10
/// v6  day 33  ComplaintFiled         c-1
/// v7  day 35  ComplaintResolved      c-1 (2 days to resolve)
/// v8  day 40  SatisfactionSurveyed   s-2, rating 2, recommend 6
/// v9  day 50  SatisfactionSurveyed   s-3, rating 4, recommend 9
/// v10 day 55  SatisfactionSurveyed   s-4, rating 4, recommend 8
/// v11 day 60  TierChanged            Transactional → PreferredSupplier
/// v12 day 70  AccountOwnerAssigned   bob
/// v13 day 80  CareTierAssigned       tier 2, budget 600
/// </code>
/// </summary>
public sealed class ScriptedHistory
{
    public const string TierReason = "Dedicated team agreed";
    public const string TierApprovedBy = "head-of-sales";

    private ScriptedHistory(string customerId, DateTimeOffset start)
    {
        CustomerId = customerId;
        Start = start;
    }

    public string CustomerId { get; }

    /// <summary>The registration's business time: 100 days ago, to the second (PostgreSQL keeps microseconds).</summary>
    public DateTimeOffset Start { get; }

    public string Path => $"/customers/{CustomerId}";

    public DateTimeOffset Day(double days) => Start.AddDays(days);

    public static async Task<ScriptedHistory> RecordAsync(HttpClient client, string prefix)
    {
        ArgumentNullException.ThrowIfNull(client);
        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero).AddDays(-100);
        var history = new ScriptedHistory(LedgerHttp.NewCustomerId(prefix), start);
        var customer = history.Path;
        await client.RegisterAsync(history.CustomerId, start, ownerId: "alice");
        await client.CommandAsync($"{customer}/purchases", Purchase("o-1", 1000m, history.Day(1)));
        await client.CommandAsync(
            $"{customer}/contacts",
            new
            {
                channel = "Phone",
                initiator = "Company",
                purpose = "FollowUp",
                occurredAt = history.Day(5),
            }
        );
        await client.CommandAsync($"{customer}/purchases", Purchase("o-2", 500m, history.Day(20)));
        await client.CommandAsync($"{customer}/surveys", Survey("s-1", 5, 10, history.Day(30)));
        await client.CommandAsync(
            $"{customer}/complaints",
            new
            {
                complaintId = "c-1",
                category = "Delivery",
                severity = "Medium",
                description = "Pallet arrived late",
                occurredAt = history.Day(33),
            }
        );
        await client.CommandAsync(
            $"{customer}/complaints/c-1/resolution",
            new
            {
                resolution = "Next delivery free of charge",
                customerAccepted = true,
                occurredAt = history.Day(35),
            }
        );
        await client.CommandAsync($"{customer}/surveys", Survey("s-2", 2, 6, history.Day(40)));
        await client.CommandAsync($"{customer}/surveys", Survey("s-3", 4, 9, history.Day(50)));
        await client.CommandAsync($"{customer}/surveys", Survey("s-4", 4, 8, history.Day(55)));
        await client.CommandAsync(
            $"{customer}/tier",
            new
            {
                to = "PreferredSupplier",
                reason = TierReason,
                approvedBy = TierApprovedBy,
                occurredAt = history.Day(60),
            }
        );
        await client.CommandAsync(
            $"{customer}/owner",
            new
            {
                ownerId = "bob",
                reason = "Alice moved to another region",
                occurredAt = history.Day(70),
            }
        );
        await client.CommandAsync(
            $"{customer}/care-tier",
            new
            {
                tier = 2,
                annualBudget = 600m,
                occurredAt = history.Day(80),
            }
        );
        return history;
    }

    private static object Purchase(string orderId, decimal amount, DateTimeOffset occurredAt) =>
        new
        {
            orderId,
            amount,
            currency = "EUR",
            occurredAt,
        };

    private static object Survey(string surveyId, int rating, int recommend, DateTimeOffset occurredAt) =>
        new
        {
            surveyId,
            rating,
            recommend,
            occurredAt,
        };
}
