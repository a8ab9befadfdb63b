using System.Net;
using System.Text.Json;
using RelationshipLedger.Api.Tests.Support;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Api.Tests.Portfolio;

/// <summary>
/// GET /customers (the portfolio as of an instant), GET /owners/{id}/customers and GET /customers/{id}/owners,
/// answered by the API process, whose daemon keeps the state history.
/// </summary>
public sealed class PortfolioApiTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    [Fact]
    public async Task The_portfolio_as_of_a_past_instant_shows_each_account_with_its_tier_stage_and_owner_then()
    {
        var history = await api.HistoryAsync();
        var afterHandOver = LedgerHttp.Query(history.Day(75));
        await Eventually.ReturnsAsync(
            () => IdsAsync($"/owners/bob/customers?asOf={afterHandOver}"),
            ids => ids.Contains(history.CustomerId),
            "the daemon to apply the hand-over to bob"
        );

        var page = await api.Bootstrap.GetJsonAsync($"/customers?owner=alice&asOf={LedgerHttp.Query(history.Day(65))}");

        var entry = page.GetProperty("customers").EnumerateArray().Single(c => Id(c) == history.CustomerId);
        Assert.Equal("Harbour Logistics", entry.GetProperty("name").GetString());
        Assert.Equal("PreferredSupplier", entry.GetProperty("tier").GetString());
        Assert.Equal("Growth", entry.GetProperty("stage").GetString());
        Assert.Equal("alice", entry.GetProperty("owner").GetString());
        Assert.Equal(history.Day(60), entry.GetProperty("since").GetDateTimeOffset());
        Assert.Equal(history.Day(70), entry.GetProperty("until").GetDateTimeOffset());
        Assert.Equal(history.Day(60), entry.GetProperty("tierSince").GetDateTimeOffset());
        Assert.Equal(history.Day(20), entry.GetProperty("stageSince").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);
        Assert.DoesNotContain(history.CustomerId, await IdsAsync($"/owners/alice/customers?asOf={afterHandOver}"));
        Assert.DoesNotContain(
            history.CustomerId,
            await IdsAsync($"/customers?tier=Transactional&asOf={LedgerHttp.Query(history.Day(65))}")
        );
        Assert.Contains(
            history.CustomerId,
            await IdsAsync($"/customers?tier=transactional&stage=Growth&asOf={LedgerHttp.Query(history.Day(59))}")
        );
        Assert.DoesNotContain(
            history.CustomerId,
            await IdsAsync($"/customers?asOf={LedgerHttp.Query(history.Day(-1))}")
        );
    }

    [Fact]
    public async Task Pages_concatenate_to_the_whole_portfolio_in_customer_order_without_duplicates()
    {
        var owner = LedgerHttp.NewCustomerId("pager");
        var registered = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var id = LedgerHttp.NewCustomerId("paged");
            await api.Bootstrap.RegisterAsync(id, DateTimeOffset.UtcNow.AddDays(-3), ownerId: owner);
            registered.Add(id);
        }
        registered.Sort(StringComparer.Ordinal);
        await Eventually.ReturnsAsync(
            () => IdsAsync($"/owners/{owner}/customers?limit=500"),
            ids => ids.Count == 12,
            "the daemon to apply the twelve registrations"
        );

        var ownerPages = await PagesAsync($"/owners/{owner}/customers?limit=5");
        var filteredPages = await PagesAsync($"/customers?owner={owner}&limit=5");

        Assert.Equal([5, 5, 2], ownerPages.Select(p => p.Count));
        Assert.Equal(registered, ownerPages.SelectMany(p => p));
        Assert.Equal(registered, filteredPages.SelectMany(p => p));
    }

    [Fact]
    public async Task The_owners_of_an_account_are_listed_with_from_to_and_reason_and_travel_in_time()
    {
        var history = await api.HistoryAsync();

        var owners = (await api.Bootstrap.GetJsonAsync($"{history.Path}/owners")).GetProperty("owners");
        var before = (
            await api.Bootstrap.GetJsonAsync($"{history.Path}/owners?asOf={LedgerHttp.Query(history.Day(69))}")
        ).GetProperty("owners");

        Assert.Equal(
            [
                ("alice", history.Day(0), history.Day(70), "registered"),
                ("bob", history.Day(70), null, "Alice moved to another region"),
            ],
            owners.EnumerateArray().Select(Tenure)
        );
        Assert.Equal([("alice", history.Day(0), null, "registered")], before.EnumerateArray().Select(Tenure));
        await ProblemAssert.IsProblemAsync(
            await api.Bootstrap.GetAsync("/customers/nobody-here/owners"),
            HttpStatusCode.NotFound,
            "customer-not-found"
        );
        await ProblemAssert.HasFieldErrorAsync(
            await api.Bootstrap.GetAsync("/customers/bad%20id/owners"),
            "customerId"
        );
    }

    [Theory]
    [InlineData("/customers?tier=Gold", "tier")]
    [InlineData("/customers?tier=1", "tier")]
    [InlineData("/customers?stage=Zombie", "stage")]
    [InlineData("/customers?abc=D", "abc")]
    [InlineData("/owners/x/customers?abc=1", "abc")]
    [InlineData("/customers?asOf=2025-01-01T00:00:00", "asOf")]
    [InlineData("/customers?asOf=yesterday", "asOf")]
    [InlineData("/customers?knownAt=yesterday", "knownAt")]
    [InlineData("/owners/x/customers?knownAt=2025-01-01T00:00:00", "knownAt")]
    [InlineData("/customers?limit=0", "limit")]
    [InlineData("/customers?limit=501", "limit")]
    [InlineData("/customers?limit=ten", "limit")]
    [InlineData("/customers?cursor=not-a-cursor", "cursor")]
    [InlineData("/customers?cursor=cDF8MTIzNA", "cursor")]
    [InlineData("/customers?owner=%01", "owner")]
    [InlineData("/owners/x/customers?stage=Sleeping", "stage")]
    [InlineData("/owners/x/customers?limit=-1", "limit")]
    [InlineData("/customers/bad%20id/owners?asOf=2025-01-01", "customerId")]
    [InlineData("/customers/some-one/owners?asOf=2025-13-01", "asOf")]
    public async Task A_bad_parameter_is_a_400_problem_naming_the_field(string path, string field)
    {
        await ProblemAssert.HasFieldErrorAsync(await api.Bootstrap.GetAsync(path), field);
    }

    [Fact]
    public async Task A_cursor_is_refused_with_another_asOf_than_the_pages_it_continues()
    {
        var owner = LedgerHttp.NewCustomerId("cursor");
        await api.Bootstrap.RegisterAsync(
            LedgerHttp.NewCustomerId("c1"),
            DateTimeOffset.UtcNow.AddDays(-2),
            ownerId: owner
        );
        await api.Bootstrap.RegisterAsync(
            LedgerHttp.NewCustomerId("c2"),
            DateTimeOffset.UtcNow.AddDays(-2),
            ownerId: owner
        );
        var asOf = LedgerHttp.Query(DateTimeOffset.UtcNow.AddDays(-1));
        var first = await Eventually.ReturnsAsync(
            () => api.Bootstrap.GetJsonAsync($"/owners/{owner}/customers?limit=1&asOf={asOf}"),
            page => page.GetProperty("next").ValueKind == JsonValueKind.String,
            "the daemon to apply both registrations"
        );
        var next = Uri.EscapeDataString(first.GetProperty("next").GetString()!);

        await ProblemAssert.HasFieldErrorAsync(
            await api.Bootstrap.GetAsync($"/owners/{owner}/customers?limit=1&cursor={next}&asOf=2020-01-01"),
            "cursor"
        );
        await ProblemAssert.HasFieldErrorAsync(
            await api.Bootstrap.GetAsync($"/owners/{owner}/customers?limit=1&cursor={next}&knownAt=2020-01-01"),
            "cursor"
        );
        var second = await api.Bootstrap.GetJsonAsync($"/owners/{owner}/customers?limit=1&cursor={next}&asOf={asOf}");
        Assert.Single(second.GetProperty("customers").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
    }

    /// <summary>
    /// A hand-over back-dated into the account's past and recorded after K: as known at K the account is
    /// still alice's on the instant asked about, as known now it is bob's; known before its registration
    /// was recorded, it is in no portfolio. The pages say which knowledge they answer.
    /// </summary>
    [Fact]
    public async Task The_portfolio_as_known_at_an_instant_leaves_out_what_was_recorded_after_it()
    {
        var (alice, bob) = (LedgerHttp.NewCustomerId("known-alice"), LedgerHttp.NewCustomerId("known-bob"));
        var id = LedgerHttp.NewCustomerId("known");
        await api.Bootstrap.RegisterAsync(id, DateTimeOffset.UtcNow.AddDays(-10), ownerId: alice);
        var registered = (await api.Bootstrap.EventsAsync(id))[0].GetProperty("recordedAt").GetDateTimeOffset();
        await api.Bootstrap.CommandAsync(
            $"/customers/{id}/owner",
            new
            {
                ownerId = bob,
                occurredAt = DateTimeOffset.UtcNow.AddDays(-5),
                reason = "back-dated hand-over",
            }
        );
        var asOf = LedgerHttp.Query(DateTimeOffset.UtcNow.AddDays(-2));
        await Eventually.ReturnsAsync(
            () => IdsAsync($"/owners/{bob}/customers?asOf={asOf}"),
            ids => ids.Contains(id),
            "the daemon to apply the hand-over"
        );
        var knownThen = LedgerHttp.Query(registered);

        var page = await api.Bootstrap.GetJsonAsync($"/owners/{alice}/customers?asOf={asOf}&knownAt={knownThen}");

        Assert.Equal([id], page.GetProperty("customers").EnumerateArray().Select(Id));
        Assert.Equal(registered, page.GetProperty("knownAt").GetDateTimeOffset());
        Assert.Empty(await IdsAsync($"/owners/{bob}/customers?asOf={asOf}&knownAt={knownThen}"));
        Assert.Empty(await IdsAsync($"/owners/{alice}/customers?asOf={asOf}"));
        Assert.Empty(
            await IdsAsync($"/customers?owner={alice}&asOf={asOf}&knownAt={LedgerHttp.Query(registered.AddTicks(-10))}")
        );
    }

    [Fact]
    public async Task The_portfolio_needs_a_key()
    {
        await ProblemAssert.IsProblemAsync(
            await api.Anonymous().GetAsync("/customers"),
            HttpStatusCode.Unauthorized,
            "unauthenticated"
        );
    }

    private async Task<List<string>> IdsAsync(string path) =>
        [.. (await api.Bootstrap.GetJsonAsync(path)).GetProperty("customers").EnumerateArray().Select(Id)];

    /// <summary>Follows <c>next</c> from <paramref name="path"/> to the last page; each page's customer ids.</summary>
    private async Task<List<List<string>>> PagesAsync(string path)
    {
        var pages = new List<List<string>>();
        var page = await api.Bootstrap.GetJsonAsync(path);
        while (true)
        {
            pages.Add([.. page.GetProperty("customers").EnumerateArray().Select(Id)]);
            if (page.GetProperty("next").GetString() is not { } next)
                return pages;
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            page = await api.Bootstrap.GetJsonAsync($"{path}{separator}cursor={Uri.EscapeDataString(next)}");
        }
    }

    private static string Id(JsonElement customer) => customer.GetProperty("customerId").GetString()!;

    private static (string, DateTimeOffset, DateTimeOffset?, string?) Tenure(JsonElement owner) =>
        (
            owner.GetProperty("ownerId").GetString()!,
            owner.GetProperty("from").GetDateTimeOffset(),
            owner.GetProperty("to").ValueKind == JsonValueKind.Null
                ? null
                : owner.GetProperty("to").GetDateTimeOffset(),
            owner.GetProperty("reason").GetString()
        );
}
