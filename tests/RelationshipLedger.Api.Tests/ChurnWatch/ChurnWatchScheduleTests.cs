using System.Text.Json;
using RelationshipLedger.Api.Tests.Support;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Api.Tests.ChurnWatch;

/// <summary>The churn watch the API hosts: it runs on its interval, and what it flags reaches the watch list.</summary>
public sealed class ChurnWatchScheduleTests(ChurnWatchScheduledFixture api) : IClassFixture<ChurnWatchScheduledFixture>
{
    [Fact]
    public async Task The_hosted_job_flags_an_unhappy_customer_once_and_the_watch_list_shows_it()
    {
        var id = LedgerHttp.NewCustomerId("unhappy");
        await api.UnhappyCustomerAsync(id);

        await Eventually.IsTrueAsync(
            async () =>
                (await api.Admin.GetJsonAsync("/watchlist/churn"))
                    .GetProperty("customers")
                    .EnumerateArray()
                    .Any(c => c.GetProperty("customerId").GetString() == id),
            "the scheduled job to flag the customer and the daemon to list it"
        );
        var flagsAfterListing = await FlagsAsync(id);
        // Later runs of the schedule find the episode standing and append nothing.
        await api.Admin.CommandAsync(
            $"/customers/{id}/contacts",
            new
            {
                channel = "Phone",
                initiator = "Company",
                purpose = "Service",
            }
        );
        await Eventually.IsTrueAsync(
            async () =>
                (await api.Admin.GetJsonAsync("/watchlist/churn"))
                    .GetProperty("customers")
                    .EnumerateArray()
                    .Single(c => c.GetProperty("customerId").GetString() == id)
                    .GetProperty("lastContactSince")
                    .ValueKind == JsonValueKind.Object,
            "the contact to reach the watch list"
        );

        Assert.Equal(1, flagsAfterListing);
        Assert.Equal(1, await FlagsAsync(id));
    }

    private async Task<int> FlagsAsync(string id) =>
        (await api.Admin.EventsAsync(id)).Count(e => e.GetProperty("type").GetString() == "ChurnRiskFlagged");
}
