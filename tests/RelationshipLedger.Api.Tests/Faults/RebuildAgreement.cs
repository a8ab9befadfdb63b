using System.Net;
using System.Text.Json;
using RelationshipLedger.Api.Tests.Support;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Api.Tests.Faults;

/// <summary>
/// Every asynchronous projection, caught up, equals its rebuild from the log: each is rebuilt through
/// <c>POST /admin/projections/{name}/rebuild</c>, whose shadow's content hash is compared with the
/// live model's at the same event (<c>matchesLive</c>).
/// </summary>
public static class RebuildAgreement
{
    public static async Task AssertEveryProjectionEqualsItsRebuildAsync(HttpClient admin, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var names = await WaitAllCaughtUpAsync(admin, timeout);
        Assert.NotEmpty(names);
        foreach (var name in names)
        {
            var started = await admin.PostAsync($"/admin/projections/{name}/rebuild", null);
            Assert.True(
                started.StatusCode == HttpStatusCode.Accepted,
                $"Rebuilding {name} answered {(int)started.StatusCode}: {await started.Content.ReadAsStringAsync()}"
            );
            var id = (await started.ReadJsonAsync()).GetProperty("id").GetInt64();
            var done = await Eventually.ReturnsAsync(
                () => admin.GetJsonAsync($"/admin/rebuilds/{id}"),
                r => r.GetProperty("state").GetString() is "Completed" or "Failed",
                $"the rebuild of {name} to finish",
                timeout
            );
            Assert.True(
                done.GetProperty("state").GetString() == "Completed"
                    && done.GetProperty("matchesLive").ValueKind == JsonValueKind.True,
                $"The rebuild of {name} does not match the live model: {done.GetRawText()}"
            );
        }
    }

    /// <summary>Waits until every projection is running with no lag; their names.</summary>
    public static async Task<string[]> WaitAllCaughtUpAsync(HttpClient admin, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var answer = await Eventually.ReturnsAsync(
            () => admin.GetJsonAsync("/admin/projections"),
            a =>
                a.GetProperty("projections")
                    .EnumerateArray()
                    .All(p =>
                        p.GetProperty("lagEvents").GetInt64() == 0 && p.GetProperty("state").GetString() == "Running"
                    ),
            "every projection to catch up with the log",
            timeout
        );
        return [.. answer.GetProperty("projections").EnumerateArray().Select(p => p.GetProperty("name").GetString()!)];
    }
}
