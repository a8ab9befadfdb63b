using System.Text.Json;
using RelationshipLedger.Api.Tests.Support;

namespace RelationshipLedger.Api.Tests.Operations;

/// <summary><c>GET /admin/process</c>: the figures a monitor (and <c>ledger bench load</c>) watches for memory.</summary>
public sealed class ProcessApiTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    [Fact]
    public async Task The_process_reports_its_memory_and_the_events_its_state_cache_holds()
    {
        var before = await api.Bootstrap.GetJsonAsync("/admin/process");
        var customerId = LedgerHttp.NewCustomerId("process");
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

        var after = await api.Bootstrap.GetJsonAsync("/admin/process");

        Assert.True(after.GetProperty("workingSetBytes").GetInt64() > 0);
        Assert.True(after.GetProperty("gcHeapBytes").GetInt64() > 0);
        Assert.Equal(Environment.ProcessId, after.GetProperty("processId").GetInt32());
        // The customer's head (two events) is now cached.
        Assert.True(
            after.GetProperty("stateCacheEvents").GetInt64() >= before.GetProperty("stateCacheEvents").GetInt64() + 2,
            after.ToString()
        );
    }
}
