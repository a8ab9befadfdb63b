using System.Text.Json;
using RelationshipLedger.Api.Tests.Support;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Api.Tests.Operations;

/// <summary><c>GET /admin/process</c>: the figures a monitor (and <c>ledger bench load</c>) watches for memory.</summary>
public sealed class ProcessApiTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    [Fact]
    public async Task The_process_reports_its_memory_and_the_events_its_state_cache_holds()
    {
        var before = await api.Bootstrap.GetJsonAsync("/admin/process");
        await RecordPurchaseAsync("process");

        var after = await api.Bootstrap.GetJsonAsync("/admin/process");

        Assert.True(after.GetProperty("workingSetBytes").GetInt64() > 0);
        Assert.True(after.GetProperty("gcHeapBytes").GetInt64() > 0);
        Assert.Equal(Environment.ProcessId, after.GetProperty("processId").GetInt32());
        // The customer's head (two events) is now cached.
        Assert.True(
            after.GetProperty("stateCacheEvents").GetInt64() >= before.GetProperty("stateCacheEvents").GetInt64() + 2,
            after.ToString()
        );
        Assert.Equal(JsonValueKind.Null, after.GetProperty("liveHeapBytes").ValueKind);
    }

    [Fact]
    public async Task Once_asked_about_abc_classes_the_process_reports_the_revenue_facts_it_holds_for_them()
    {
        await RecordPurchaseAsync("process-abc");

        await Eventually.IsTrueAsync(
            async () =>
            {
                await api.Bootstrap.GetJsonAsync("/portfolio/abc");
                return (await api.Bootstrap.GetJsonAsync("/admin/process")).GetProperty("abcFacts").GetInt64() >= 1;
            },
            "the daemon to apply the purchase and the ABC classification to read it"
        );
    }

    [Fact]
    public async Task Once_the_daemon_has_folded_a_customer_the_process_reports_the_events_its_state_history_keeps()
    {
        await RecordPurchaseAsync("process-kept");

        // The registration and the purchase, folded and kept for the customer's next batch.
        await Eventually.IsTrueAsync(
            async () =>
                (await api.Bootstrap.GetJsonAsync("/admin/process")).GetProperty("stateHistoryKeptEvents").GetInt64()
                >= 2,
            "the state history's daemon to fold the new customer and keep its state"
        );
    }

    [Fact]
    public async Task Asked_for_a_full_collection_it_reports_the_live_heap_and_a_bad_flag_is_a_problem()
    {
        var collected = await api.Bootstrap.GetJsonAsync("/admin/process?fullCollection=true");

        Assert.InRange(
            collected.GetProperty("liveHeapBytes").GetInt64(),
            1,
            collected.GetProperty("gcCommittedBytes").GetInt64()
        );
        var bad = await api.Bootstrap.GetAsync("/admin/process?fullCollection=maybe");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A new customer, registered, and one purchase of 100 EUR.</summary>
    private async Task RecordPurchaseAsync(string prefix)
    {
        var customerId = LedgerHttp.NewCustomerId(prefix);
        await api.Bootstrap.RegisterAsync(customerId);
        await api.Bootstrap.CommandAsync(
            $"/customers/{customerId}/purchases",
            new
            {
                orderId = "o-1",
                amount = 100m,
                currency = "EUR",
            }
        );
    }
}
