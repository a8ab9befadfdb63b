using System.Text.Json;
using RelationshipLedger.Api.Tests.Support;

namespace RelationshipLedger.Api.Tests.Audit;

/// <summary>GET /customers/{id}/verify: the hash chain recomputed from the stored rows, and the first version that breaks it.</summary>
public sealed class VerifyTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    [Fact]
    public async Task An_untouched_stream_verifies()
    {
        var history = await ScriptedHistory.RecordAsync(api.Bootstrap, "untouched");

        var verification = await api.Bootstrap.GetJsonAsync($"{history.Path}/verify");

        Assert.True(verification.GetProperty("valid").GetBoolean());
        Assert.Equal(13, verification.GetProperty("events").GetInt64());
        Assert.True(
            !verification.TryGetProperty("firstBroken", out var broken) || broken.ValueKind == JsonValueKind.Null
        );
    }

    [Fact]
    public async Task A_payload_altered_in_place_breaks_the_chain_at_that_version_and_only_that_stream()
    {
        var tampered = await ScriptedHistory.RecordAsync(api.Bootstrap, "tampered");
        var bystander = await ScriptedHistory.RecordAsync(api.Bootstrap, "bystander");

        await api.Database.TamperAsync(
            $"update ledger.events set data = jsonb_set(data, '{{amount}}', '5') where stream_id = '{tampered.CustomerId}' and version = 4"
        );

        var verification = await api.Bootstrap.GetJsonAsync($"{tampered.Path}/verify");
        Assert.False(verification.GetProperty("valid").GetBoolean());
        Assert.Equal(13, verification.GetProperty("events").GetInt64());
        Assert.Equal(4, verification.GetProperty("firstBroken").GetProperty("version").GetInt64());
        Assert.False(
            string.IsNullOrWhiteSpace(verification.GetProperty("firstBroken").GetProperty("reason").GetString())
        );
        Assert.True((await api.Bootstrap.GetJsonAsync($"{bystander.Path}/verify")).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task A_business_time_backdated_in_place_breaks_the_chain_at_that_version()
    {
        var history = await ScriptedHistory.RecordAsync(api.Bootstrap, "backdated");

        await api.Database.TamperAsync(
            $"update ledger.events set occurred_at = occurred_at - interval '1 day' where stream_id = '{history.CustomerId}' and version = 9"
        );

        var verification = await api.Bootstrap.GetJsonAsync($"{history.Path}/verify");
        Assert.False(verification.GetProperty("valid").GetBoolean());
        Assert.Equal(9, verification.GetProperty("firstBroken").GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task A_deleted_last_event_breaks_the_chain_where_the_head_expects_it()
    {
        var history = await ScriptedHistory.RecordAsync(api.Bootstrap, "truncated");

        await api.Database.TamperAsync(
            $"delete from ledger.events where stream_id = '{history.CustomerId}' and version = 13"
        );

        var verification = await api.Bootstrap.GetJsonAsync($"{history.Path}/verify");
        Assert.False(verification.GetProperty("valid").GetBoolean());
        Assert.Equal(12, verification.GetProperty("events").GetInt64());
        Assert.Equal(13, verification.GetProperty("firstBroken").GetProperty("version").GetInt64());
    }
}
