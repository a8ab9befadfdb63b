using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RelationshipLedger.Api.Tests.Support;

namespace RelationshipLedger.Api.Tests.Customers;

/// <summary>Every command route of shared/api.md §Commands: its status, ETag, body, and the event it appends.</summary>
public sealed class CommandRoutesTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    [Fact]
    public async Task Registering_answers_201_with_location_etag_and_the_first_version()
    {
        var id = LedgerHttp.NewCustomerId("register");

        var response = await api.Recorder.PostJsonAsync(
            "/customers",
            new
            {
                customerId = id,
                name = "Harbour Logistics",
                kind = "Organization",
                segment = "Freight",
                source = "Trade fair",
                ownerId = "alice",
            }
        );

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/customers/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        var answer = await response.Content.ReadFromJsonAsync<CommandAnswer>(LedgerHttp.Json);
        Assert.Equal(id, answer!.CustomerId);
        Assert.Equal(1, answer.Version);
        var recorded = Assert.Single(await api.Bootstrap.EventsAsync(id));
        AssertRecorded(recorded, "CustomerRegistered", 1, Assert.Single(answer.EventIds));
        Assert.Equal("Harbour Logistics", recorded.GetProperty("data").GetProperty("name").GetString());
        Assert.Equal("Organization", recorded.GetProperty("data").GetProperty("kind").GetString());
        Assert.Equal("alice", recorded.GetProperty("data").GetProperty("ownerId").GetString());
    }

    [Theory]
    [InlineData("profile", "CustomerProfileUpdated")]
    [InlineData("owner", "AccountOwnerAssigned")]
    [InlineData("contacts", "ContactRecorded")]
    [InlineData("purchases", "PurchaseRecorded")]
    [InlineData("refunds", "PurchaseRefunded")]
    [InlineData("complaints", "ComplaintFiled")]
    [InlineData("resolution", "ComplaintResolved")]
    [InlineData("surveys", "SatisfactionSurveyed")]
    [InlineData("tier", "TierChanged")]
    [InlineData("care-tier", "CareTierAssigned")]
    [InlineData("end", "RelationshipEnded")]
    [InlineData("reactivate", "RelationshipReactivated")]
    public async Task A_command_answers_200_with_the_new_version_and_appends_its_event_with_the_key_name_as_actor(
        string route,
        string eventType
    )
    {
        var id = LedgerHttp.NewCustomerId(route);
        await api.Bootstrap.RegisterAsync(id);
        var (path, body) = await PrepareAsync(route, id);
        var before = (await api.Bootstrap.EventsAsync(id)).Length;

        var response = await api.Recorder.PostJsonAsync(path, body);

        Assert.True(
            response.StatusCode == HttpStatusCode.OK,
            $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}"
        );
        var version = before + 1;
        Assert.Equal($"\"{version}\"", response.Headers.ETag?.Tag);
        var answer = (await response.Content.ReadFromJsonAsync<CommandAnswer>(LedgerHttp.Json))!;
        Assert.Equal(id, answer.CustomerId);
        Assert.Equal(version, answer.Version);
        var events = await api.Bootstrap.EventsAsync(id);
        Assert.Equal(version, events.Length);
        AssertRecorded(events[^1], eventType, version, Assert.Single(answer.EventIds));
    }

    [Fact]
    public async Task A_tier_change_records_the_current_tier_as_from()
    {
        var id = LedgerHttp.NewCustomerId("tier-from");
        await api.Bootstrap.RegisterAsync(id);
        await api.Recorder.CommandAsync(
            $"/customers/{id}/tier",
            new
            {
                to = "PreferredSupplier",
                reason = "Dedicated team",
                approvedBy = "head-of-sales",
            }
        );

        await api.Recorder.CommandAsync(
            $"/customers/{id}/tier",
            new
            {
                to = "Partner",
                reason = "Joint planning",
                approvedBy = "ceo",
            }
        );

        var data = (await api.Bootstrap.EventsAsync(id))[^1].GetProperty("data");
        Assert.Equal("PreferredSupplier", data.GetProperty("from").GetString());
        Assert.Equal("Partner", data.GetProperty("to").GetString());
        Assert.Equal("ceo", data.GetProperty("approvedBy").GetString());
    }

    [Fact]
    public async Task The_reason_and_the_business_time_given_with_a_command_are_recorded()
    {
        var id = LedgerHttp.NewCustomerId("reason");
        var registeredAt = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
        await api.Bootstrap.RegisterAsync(id, registeredAt);
        var occurredAt = new DateTimeOffset(2026, 2, 1, 14, 30, 0, TimeSpan.Zero);

        await api.Recorder.CommandAsync(
            $"/customers/{id}/care-tier",
            new
            {
                tier = 1,
                annualBudget = 1000m,
                occurredAt,
                reason = "Key account",
            }
        );

        var recorded = (await api.Bootstrap.EventsAsync(id))[^1];
        Assert.Equal(occurredAt, recorded.GetProperty("occurredAt").GetDateTimeOffset());
        Assert.Equal("Key account", recorded.GetProperty("metadata").GetProperty("reason").GetString());
        Assert.Equal(1000m, recorded.GetProperty("data").GetProperty("annualBudget").GetDecimal());
    }

    private static void AssertRecorded(JsonElement recorded, string type, long version, Guid eventId)
    {
        Assert.Equal(type, recorded.GetProperty("type").GetString());
        Assert.Equal(version, recorded.GetProperty("version").GetInt64());
        Assert.Equal(eventId, recorded.GetProperty("eventId").GetGuid());
        Assert.Equal(LedgerApiFixture.RecorderName, recorded.GetProperty("metadata").GetProperty("actor").GetString());
    }

    /// <summary>The route's path and body, after the commands it depends on (an order to refund, a complaint to resolve, an end to undo).</summary>
    private async Task<(string Path, object Body)> PrepareAsync(string route, string id)
    {
        var customer = $"/customers/{id}";
        switch (route)
        {
            case "profile":
                return ($"{customer}/profile", new { phone = "+49 40 123456", email = "desk@harbour.example" });
            case "owner":
                return ($"{customer}/owner", new { ownerId = "bob", reason = "Alice moved to another region" });
            case "contacts":
                return (
                    $"{customer}/contacts",
                    new
                    {
                        contactId = "visit-1",
                        channel = "Visit",
                        initiator = "Company",
                        purpose = "Care",
                        occasion = "Holiday",
                        cost = 80m,
                        notes = "New year visit",
                    }
                );
            case "purchases":
                return (
                    $"{customer}/purchases",
                    new
                    {
                        orderId = "o-1",
                        amount = 1250.50m,
                        currency = "EUR",
                    }
                );
            case "refunds":
                await api.Bootstrap.CommandAsync(
                    $"{customer}/purchases",
                    new
                    {
                        orderId = "o-1",
                        amount = 100m,
                        currency = "EUR",
                    }
                );
                return ($"{customer}/purchases/o-1/refunds", new { amount = 40m, reason = "Damaged pallet" });
            case "complaints":
                return (
                    $"{customer}/complaints",
                    new
                    {
                        complaintId = "c-1",
                        category = "Delivery",
                        severity = "High",
                        description = "Late twice",
                    }
                );
            case "resolution":
                await api.Bootstrap.CommandAsync(
                    $"{customer}/complaints",
                    new
                    {
                        complaintId = "c-1",
                        category = "Delivery",
                        severity = "High",
                        description = "Late twice",
                    }
                );
                return (
                    $"{customer}/complaints/c-1/resolution",
                    new { resolution = "Express delivery at no charge", customerAccepted = true }
                );
            case "surveys":
                return (
                    $"{customer}/surveys",
                    new
                    {
                        surveyId = "s-1",
                        rating = 4,
                        repurchaseIntent = "Yes",
                        recommend = 9,
                        comment = "Reliable",
                    }
                );
            case "tier":
                return (
                    $"{customer}/tier",
                    new
                    {
                        to = "PreferredSupplier",
                        reason = "Dedicated team",
                        approvedBy = "head-of-sales",
                    }
                );
            case "care-tier":
                return ($"{customer}/care-tier", new { tier = 2, annualBudget = 600m });
            case "end":
                return ($"{customer}/end", new { cause = "Competitor", notes = "Cheaper offer" });
            case "reactivate":
                await api.Bootstrap.CommandAsync($"{customer}/end", new { cause = "NeedsChanged" });
                return ($"{customer}/reactivate", new { reason = "New project" });
            default:
                throw new ArgumentOutOfRangeException(nameof(route), route, "Not a command route.");
        }
    }
}
