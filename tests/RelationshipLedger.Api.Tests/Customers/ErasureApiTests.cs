using System.Net;
using RelationshipLedger.Api.Tests.Support;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Api.Tests.Customers;

/// <summary>
/// <c>POST /customers/{id}/erase</c> through the whole pipeline: the admin erases, every reading shows
/// the personal fields erased, the chains still verify, new personal data is a 409, bad input appends nothing.
/// </summary>
public sealed class ErasureApiTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    [Fact]
    public async Task An_erased_customer_reads_as_erased_in_its_overview_and_raw_events_and_its_chain_verifies()
    {
        var id = LedgerHttp.NewCustomerId("erase");
        await api.Bootstrap.RegisterAsync(id, name: "Grace Hopper");
        await api.Bootstrap.CommandAsync($"/customers/{id}/profile", new { email = "grace@example.org" });
        await api.Bootstrap.CommandAsync(
            $"/customers/{id}/purchases",
            new
            {
                orderId = "o-1",
                amount = 250,
                currency = "EUR",
            }
        );
        Assert.Contains(
            "grace@example.org",
            (await api.Bootstrap.EventsAsync(id))[1].GetRawText(),
            StringComparison.Ordinal
        );

        var erased = await api.Bootstrap.CommandAsync(
            $"/customers/{id}/erase",
            new { reason = "GDPR art. 17 request" }
        );

        Assert.Equal(4, erased.Version);
        Assert.Equal(
            "[erased]",
            (await api.Bootstrap.GetJsonAsync($"/customers/{id}")).GetProperty("name").GetString()
        );
        var events = await api.Bootstrap.EventsAsync(id);
        Assert.Equal(
            ["[erased]", "[erased]", "250"],
            [
                events[0].GetProperty("data").GetProperty("name").GetString()!,
                events[1].GetProperty("data").GetProperty("changes").GetProperty("email").GetString()!,
                events[2].GetProperty("data").GetProperty("amount").GetRawText(),
            ]
        );
        Assert.Equal("PersonalDataErased", events[3].GetProperty("type").GetString());
        Assert.DoesNotContain("Hopper", string.Concat(events.Select(e => e.GetRawText())), StringComparison.Ordinal);
        Assert.True((await api.Bootstrap.GetJsonAsync($"/customers/{id}/verify")).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task After_erasure_new_personal_data_is_a_409_and_a_purchase_is_still_recorded()
    {
        var id = LedgerHttp.NewCustomerId("erase-after");
        await api.Bootstrap.RegisterAsync(id, name: "Alan Turing");
        await api.Bootstrap.CommandAsync($"/customers/{id}/erase", new { reason = "Request of the data subject" });

        await ProblemAssert.IsProblemAsync(
            await api.Bootstrap.PostJsonAsync($"/customers/{id}/profile", new { phone = "+44 161 496 0000" }),
            HttpStatusCode.Conflict,
            "personal-data-erased"
        );
        await api.Bootstrap.CommandAsync(
            $"/customers/{id}/purchases",
            new
            {
                orderId = "o-1",
                amount = 10,
                currency = "EUR",
            }
        );
        Assert.Equal(3, (await api.Bootstrap.EventsAsync(id)).Length);
    }

    [Fact]
    public async Task Erasing_needs_a_reason_and_a_customer_and_refusals_append_nothing()
    {
        var id = LedgerHttp.NewCustomerId("erase-bad");
        await api.Bootstrap.RegisterAsync(id, name: "Katherine Johnson");

        await ProblemAssert.HasFieldErrorAsync(
            await api.Bootstrap.PostJsonAsync($"/customers/{id}/erase", new { }),
            "reason"
        );
        await ProblemAssert.IsProblemAsync(
            await api.Bootstrap.PostJsonAsync("/customers/nobody-at-all/erase", new { reason = "x" }),
            HttpStatusCode.NotFound,
            "customer-not-found"
        );
        await ProblemAssert.IsProblemAsync(
            await api.Recorder.PostJsonAsync($"/customers/{id}/erase", new { reason = "x" }),
            HttpStatusCode.Forbidden,
            "forbidden"
        );

        Assert.Equal(
            "Katherine Johnson",
            (await api.Bootstrap.GetJsonAsync($"/customers/{id}")).GetProperty("name").GetString()
        );
        Assert.Single(await api.Bootstrap.EventsAsync(id));
    }
}
