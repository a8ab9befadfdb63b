using RelationshipLedger.Application.ChurnWatch;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Customers.Caching;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using static RelationshipLedger.Domain.Customers.CustomerCommand;

namespace RelationshipLedger.Application.Tests.ChurnWatch;

/// <summary>A clock that always reads the same instant.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>
/// Customer histories for the churn watch, recorded through a command handler with business times in
/// days before <see cref="Now"/>; the signals each has at <see cref="Now"/> are worked out by hand
/// from domain.md §2.3 and §2.8 (W = 180 days).
/// </summary>
public sealed class ChurnHistories(CustomerCommandHandler handler)
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly CommandContext Recorder = new("churn-test");

    public static DateTimeOffset DaysAgo(double days) => Now.AddDays(-days);

    /// <summary>A job as a process wires it: its own uncached loader, the handler, the default rules, a fixed clock.</summary>
    public static ChurnWatchJob Job(EventStore.EventStore store, CustomerCommandHandler handler) =>
        new(
            store.DataSource,
            new CustomerStateLoader(store, CustomerStateCache.None),
            handler,
            LifecycleRules.Default,
            new FixedClock(Now)
        );

    /// <summary>
    /// Purchases 100, 90 and 80 days ago: intervals 10 and 10, cycle 10 days; 80 days since the last
    /// purchase is more than twice the cycle. All revenue is recent (previous 0), no survey:
    /// <c>PurchaseCycleLengthening</c> only.
    /// </summary>
    public async Task LengtheningCycleAsync(string id)
    {
        await RegisterAsync(id, 120);
        await PurchaseAsync(id, "o-1", 100m, 100);
        await PurchaseAsync(id, "o-2", 100m, 90);
        await PurchaseAsync(id, "o-3", 100m, 80);
    }

    /// <summary>
    /// 1000 three hundred days ago (previous window, 180–360 days back) and 400 ten days ago (recent):
    /// 400 &lt; 0.5 × 1000. Two purchases (no cycle rule), no survey: <c>VolumeHalved</c> only.
    /// </summary>
    public async Task HalvedVolumeAsync(string id)
    {
        await RegisterAsync(id, 320);
        await PurchaseAsync(id, "o-1", 1000m, 300);
        await PurchaseAsync(id, "o-2", 400m, 10);
    }

    /// <summary>Surveys rated 2 and 1: the mean of the last two is 1.5 ≤ 2. No purchase: <c>LowSatisfaction</c> only.</summary>
    public async Task LowSatisfactionAsync(string id)
    {
        await RegisterAsync(id, 50);
        await SurveyAsync(id, "s-1", 2, 40);
        await SurveyAsync(id, "s-2", 1, 30);
    }

    /// <summary>
    /// Purchases 60, 40 and 20 days ago (cycle 20; 20 days since the last is not more than 40), all
    /// recent, a survey rated 5: no signal.
    /// </summary>
    public async Task HealthyAsync(string id)
    {
        await RegisterAsync(id, 70);
        await PurchaseAsync(id, "o-1", 100m, 60);
        await PurchaseAsync(id, "o-2", 100m, 40);
        await PurchaseAsync(id, "o-3", 100m, 20);
        await SurveyAsync(id, "s-1", 5, 15);
    }

    /// <summary>The lengthening cycle, then the relationship ended five days ago: an ended relationship has no signals.</summary>
    public async Task EndedAsync(string id)
    {
        await LengtheningCycleAsync(id);
        await HandleAsync(id, new EndRelationship(EndCause.Competitor) { IssuedAt = Now, OccurredAt = DaysAgo(5) });
    }

    public Task RegisterAsync(string id, double daysAgo) =>
        HandleAsync(
            id,
            new RegisterCustomer($"Customer {id}", CustomerKind.Organization)
            {
                IssuedAt = Now,
                OccurredAt = DaysAgo(daysAgo),
            }
        );

    public Task PurchaseAsync(string id, string orderId, decimal amount, double daysAgo) =>
        HandleAsync(id, new RecordPurchase(orderId, amount, "EUR") { IssuedAt = Now, OccurredAt = DaysAgo(daysAgo) });

    public Task SurveyAsync(string id, string surveyId, int rating, double daysAgo) =>
        HandleAsync(id, new RecordSurvey(surveyId, rating) { IssuedAt = Now, OccurredAt = DaysAgo(daysAgo) });

    public Task ContactAsync(string id, string contactId, DateTimeOffset at) =>
        HandleAsync(
            id,
            new RecordContact(contactId, ContactChannel.Phone, ContactInitiator.Company, ContactPurpose.Service)
            {
                IssuedAt = Now,
                OccurredAt = at,
            }
        );

    public async Task HandleAsync(string id, CustomerCommand command)
    {
        var outcome = await handler.HandleAsync(id, command, Recorder);
        Assert.True(outcome.IsAccepted, $"{command.GetType().Name} on {id}: {outcome.Rejection?.Message}");
    }
}
