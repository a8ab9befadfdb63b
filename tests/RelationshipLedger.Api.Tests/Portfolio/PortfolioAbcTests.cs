using System.Net;
using System.Text;
using System.Text.Json;
using RelationshipLedger.Api.Tests.Support;
using RelationshipLedger.Application.Security;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Api.Tests.Portfolio;

/// <summary>
/// GET /portfolio/abc: the pyramid as of an instant from the abc_revenue read model (kept by the API's
/// daemon), its classes paged in rank order, and a 400 for every bad parameter.
/// </summary>
public sealed class PortfolioAbcTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    private static readonly DateTimeOffset Registered = new(2025, 1, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset AsOf = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string AsOfQuery = LedgerHttp.Query(AsOf);

    [Fact]
    public async Task The_portfolio_counts_each_class_with_its_revenue_share_and_pages_the_customers_in_rank_order()
    {
        await RecordPortfolioAsync();

        var portfolio = await api.Bootstrap.GetJsonAsync($"/portfolio/abc?asOf={AsOfQuery}&limit=2");

        // EUR 1000: p-1 500 and p-2 300 (crossing 80 %) are A, p-3 100 and p-4 50 B, p-5 50 (above: 95 %) C;
        // p-6 never bought: C, in the pyramid without currency.
        Assert.Equal(6, portfolio.GetProperty("customers").GetInt32());
        Assert.Equal("""{"a":2,"b":2,"c":2}""", portfolio.GetProperty("counts").GetRawText());
        var pyramids = portfolio.GetProperty("pyramids").EnumerateArray().ToArray();
        Assert.Equal(2, pyramids.Length);
        Assert.Equal("EUR", pyramids[0].GetProperty("currency").GetString());
        Assert.Equal(1000m, pyramids[0].GetProperty("revenue").GetDecimal());
        Assert.Equal(
            [("A", 2, 800m, 0.8m), ("B", 2, 150m, 0.15m), ("C", 1, 50m, 0.05m)],
            pyramids[0].GetProperty("classes").EnumerateArray().Select(Share)
        );
        Assert.Equal(JsonValueKind.Null, pyramids[1].GetProperty("currency").ValueKind);
        Assert.Equal(1, pyramids[1].GetProperty("customers").GetInt32());
        var ranking = await AllPagesAsync($"/portfolio/abc?asOf={AsOfQuery}&limit=2");
        Assert.Equal(["p-1|1|A|500", "p-2|2|A|300", "p-3|3|B|100", "p-4|4|B|50", "p-5|5|C|50", "p-6|1|C|0"], ranking);
        Assert.Equal(["p-3|3|B|100", "p-4|4|B|50"], await AllPagesAsync($"/portfolio/abc?asOf={AsOfQuery}&class=B"));
        Assert.Equal(
            ["p-5|5|C|50", "p-6|1|C|0"],
            await AllPagesAsync($"/portfolio/abc?asOf={AsOfQuery}&class=C&limit=1")
        );
    }

    [Fact]
    public async Task As_of_an_instant_before_the_purchases_every_registered_customer_is_C()
    {
        await RecordPortfolioAsync();

        var portfolio = await api.Bootstrap.GetJsonAsync(
            $"/portfolio/abc?asOf={LedgerHttp.Query(Registered.AddHours(1))}&class=A"
        );

        Assert.Equal(6, portfolio.GetProperty("customers").GetInt32());
        Assert.Equal("""{"a":0,"b":0,"c":6}""", portfolio.GetProperty("counts").GetRawText());
        Assert.Empty(portfolio.GetProperty("items").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, portfolio.GetProperty("next").ValueKind);
        var before = await api.Bootstrap.GetJsonAsync(
            $"/portfolio/abc?asOf={LedgerHttp.Query(Registered.AddTicks(-10))}"
        );
        Assert.Equal(0, before.GetProperty("customers").GetInt32());
    }

    [Fact]
    public async Task As_known_before_anything_was_recorded_the_portfolio_is_empty_and_known_now_it_is_whole()
    {
        await RecordPortfolioAsync();
        var yesterday = LedgerHttp.Query(DateTimeOffset.UtcNow.AddDays(-1));
        var tomorrow = LedgerHttp.Query(DateTimeOffset.UtcNow.AddDays(1));

        var knownBefore = await api.Bootstrap.GetJsonAsync($"/portfolio/abc?asOf={AsOfQuery}&knownAt={yesterday}");
        var knownNow = await api.Bootstrap.GetJsonAsync($"/portfolio/abc?asOf={AsOfQuery}&knownAt={tomorrow}");

        // Every fact of the portfolio was recorded today, back-dated into 2025.
        Assert.Equal(0, knownBefore.GetProperty("customers").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, knownBefore.GetProperty("knownAt").ValueKind);
        Assert.Equal(6, knownNow.GetProperty("customers").GetInt32());
        Assert.Equal("""{"a":2,"b":2,"c":2}""", knownNow.GetProperty("counts").GetRawText());
    }

    [Theory]
    [InlineData("knownAt=someday", "knownAt")]
    [InlineData("asOf=yesterday", "asOf")]
    [InlineData("asOf=2026-01-01T00:00:00", "asOf")]
    [InlineData("class=D", "class")]
    [InlineData("class=a", "class")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("cursor=not-a-cursor!", "cursor")]
    [InlineData("cursor=djF8RVVSfC0x", "cursor")]
    [InlineData("cursor=eHx5", "cursor")]
    public async Task A_bad_parameter_is_a_400_naming_the_field(string query, string field)
    {
        var response = await api.Bootstrap.GetAsync($"/portfolio/abc?{query}");

        await ProblemAssert.HasFieldErrorAsync(response, field);
    }

    [Fact]
    public async Task A_cursor_from_another_page_continues_and_the_route_needs_the_reader_role()
    {
        var cursor = Convert.ToBase64String(Encoding.UTF8.GetBytes("v1|EUR|2")).TrimEnd('=');
        var recorderOnly = await api.ClientWithRolesAsync("abc-recorder", Roles.Recorder);

        Assert.Equal(HttpStatusCode.OK, (await api.Bootstrap.GetAsync($"/portfolio/abc?cursor={cursor}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().GetAsync("/portfolio/abc")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await recorderOnly.GetAsync("/portfolio/abc")).StatusCode);
    }

    /// <summary>Six customers registered on <see cref="Registered"/>, five with purchases in the year before <see cref="AsOf"/>; waits for the daemon.</summary>
    private async Task RecordPortfolioAsync()
    {
        if (
            (await api.Bootstrap.GetJsonAsync($"/portfolio/abc?asOf={AsOfQuery}")).GetProperty("customers").GetInt32()
            > 0
        )
            return;
        var amounts = new[] { 500m, 300m, 100m, 50m, 50m };
        for (var i = 1; i <= 6; i++)
            await api.Bootstrap.RegisterAsync($"p-{i}", Registered);
        // p-5 before p-4, so that their tie is broken by id, not by the order they were recorded.
        foreach (var i in new[] { 1, 2, 3, 5, 4 })
            await api.Bootstrap.CommandAsync(
                $"/customers/p-{i}/purchases",
                new
                {
                    orderId = "o-1",
                    amount = amounts[i - 1],
                    currency = "EUR",
                    occurredAt = AsOf.AddDays(-30 - i),
                }
            );
        await Eventually.IsTrueAsync(
            async () =>
                (await api.Bootstrap.GetJsonAsync($"/portfolio/abc?asOf={AsOfQuery}&class=C"))
                    .GetProperty("counts")
                    .GetRawText() == """{"a":2,"b":2,"c":2}""",
            "the daemon to apply the purchases"
        );
    }

    private async Task<List<string>> AllPagesAsync(string path)
    {
        var lines = new List<string>();
        string? cursor = null;
        do
        {
            var page = await api.Bootstrap.GetJsonAsync(
                cursor is null ? path : $"{path}&cursor={Uri.EscapeDataString(cursor)}"
            );
            lines.AddRange(
                page.GetProperty("items")
                    .EnumerateArray()
                    .Select(i =>
                        string.Join(
                            '|',
                            i.GetProperty("customerId").GetString(),
                            i.GetProperty("rank").GetInt64(),
                            i.GetProperty("class").GetString(),
                            i.GetProperty("netRevenue").GetDecimal()
                        )
                    )
            );
            cursor = page.GetProperty("next").GetString();
        } while (cursor is not null);
        return lines;
    }

    private static (string, int, decimal, decimal) Share(JsonElement c) =>
        (
            c.GetProperty("class").GetString()!,
            c.GetProperty("customers").GetInt32(),
            c.GetProperty("revenue").GetDecimal(),
            c.GetProperty("share").GetDecimal()
        );
}
