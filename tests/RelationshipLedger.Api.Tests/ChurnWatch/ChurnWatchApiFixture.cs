using Microsoft.AspNetCore.Hosting;
using RelationshipLedger.Api.Tests.Support;

namespace RelationshipLedger.Api.Tests.ChurnWatch;

/// <summary>
/// The API on a database of its own with its daemon polling quickly, and the hosted churn watch as
/// the subclass sets it: off (the tests run the job themselves) or every 200 ms.
/// </summary>
public abstract class ChurnWatchApiFixture(bool hostedJob) : ConfiguredApiFixture
{
    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Ledger:Daemon:PollInterval", "00:00:00.100");
        builder.UseSetting("Ledger:ChurnWatch:Enabled", hostedJob ? "true" : "false");
        builder.UseSetting("Ledger:ChurnWatch:Interval", "00:00:00.200");
    }

    /// <summary>
    /// Records, through the API, surveys rated 2 and 1 (the mean of the last two ≤ 2:
    /// <c>LowSatisfaction</c>) for a customer registered 50 days ago.
    /// </summary>
    public async Task UnhappyCustomerAsync(string id)
    {
        var now = DateTimeOffset.UtcNow;
        await Admin.RegisterAsync(id, now.AddDays(-50), ownerId: "alice", name: $"Customer {id}");
        await SurveyAsync(id, "s-1", 2, now.AddDays(-40));
        await SurveyAsync(id, "s-2", 1, now.AddDays(-30));
    }

    /// <summary>Purchases 100, 90 and 80 days ago: the purchase cycle (10 days) has lengthened.</summary>
    public async Task LengtheningCycleAsync(string id)
    {
        var now = DateTimeOffset.UtcNow;
        await Admin.RegisterAsync(id, now.AddDays(-120), name: $"Customer {id}");
        foreach (var days in new[] { 100, 90, 80 })
            await Admin.CommandAsync(
                $"/customers/{id}/purchases",
                new
                {
                    orderId = $"o-{days}",
                    amount = 100m,
                    currency = "EUR",
                    occurredAt = now.AddDays(-days),
                }
            );
    }

    /// <summary>A purchase 20 days ago and a survey rated 5: no signal.</summary>
    public async Task HealthyCustomerAsync(string id)
    {
        var now = DateTimeOffset.UtcNow;
        await Admin.RegisterAsync(id, now.AddDays(-30), name: $"Customer {id}");
        await SurveyAsync(id, "s-1", 5, now.AddDays(-20));
    }

    private Task<CommandAnswer> SurveyAsync(string id, string surveyId, int rating, DateTimeOffset at) =>
        Admin.CommandAsync(
            $"/customers/{id}/surveys",
            new
            {
                surveyId,
                rating,
                occurredAt = at,
            }
        );
}

/// <summary>The API without the hosted job: tests run it when they choose.</summary>
public sealed class ChurnWatchWithoutScheduleFixture() : ChurnWatchApiFixture(hostedJob: false);

/// <summary>The API running the churn watch every 200 ms.</summary>
public sealed class ChurnWatchScheduledFixture() : ChurnWatchApiFixture(hostedJob: true);
