using System.Globalization;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace RelationshipLedger.Api.Tests.AuditPage;

/// <summary>
/// /audit in a real headless Chromium against the API on a real port: the auditor types a key and
/// a customer id, and the page shows the events, the tier at an as-of instant as known at a
/// known-at instant, and the chain's verification. See <see cref="AuditedHistory"/> for the numbers.
/// </summary>
public sealed class AuditPageBrowserTests(AuditPageFixture fixture, ITestOutputHelper output)
    : IClassFixture<AuditPageFixture>
{
    static AuditPageBrowserTests() => SetDefaultExpectTimeout(30_000);

    [Fact]
    public async Task The_page_replays_a_customer_with_its_tier_at_each_instant_and_a_valid_chain()
    {
        var history = await fixture.HistoryAsync();
        var page = await OpenWithKeyAsync(fixture.AuditorKey);

        await page.FillAsync("[data-testid=customer-id]", history.CustomerId);
        await ShowAsync(page);

        var rows = page.GetByTestId("event-row");
        await Expect(rows).ToHaveCountAsync(AuditedHistory.Events);
        await Expect(page.GetByTestId("verify-status")).ToHaveAttributeAsync("data-valid", "true");
        await Expect(page.GetByTestId("verify-status")).ToContainTextAsync("valid — all 9 events");
        await Expect(page.GetByTestId("tier-at")).ToHaveTextAsync("Partner");
        var correction = page.Locator("[data-testid=event-row][data-version='9']");
        await Expect(correction).ToContainTextAsync("back-dated");
        await Expect(correction).ToContainTextAsync(AuditedHistory.CorrectionReason);
        await Expect(correction).ToContainTextAsync(AuditPageFixture.RecorderName);

        // Day 25: after the first tier change, before the back-dated one; versions 5 to 9 lie later.
        await page.FillAsync("[data-testid=as-of]", Instant(history.Day(25)));
        await ShowAsync(page);
        await Expect(page.GetByTestId("tier-at")).ToHaveTextAsync("Preferred supplier");
        await Expect(page.Locator("[data-testid=event-row][data-after-as-of=true]")).ToHaveCountAsync(5);
        await Expect(page.GetByTestId("tier-band")).ToHaveCountAsync(2);

        // Day 55: the correction dated day 45 applies; only the resolution (52) is before, the survey (60) after.
        await page.FillAsync("[data-testid=as-of]", Instant(history.Day(55)));
        await ShowAsync(page);
        await Expect(page.GetByTestId("tier-at")).ToHaveTextAsync("Partner");
        await Expect(page.Locator("[data-testid=event-row][data-after-as-of=true]")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("tier-band")).ToHaveCountAsync(3);
        await page.CheckAsync("[data-testid=hide-later]");
        await Expect(rows).ToHaveCountAsync(AuditedHistory.Events - 1);
        await page.UncheckAsync("[data-testid=hide-later]");

        // The same day as known before the correction was recorded: still PreferredSupplier, 8 events.
        await page.FillAsync("[data-testid=known-at]", Instant(history.KnownBeforeCorrection));
        await ShowAsync(page);
        await Expect(page.GetByTestId("tier-at")).ToHaveTextAsync("Preferred supplier");
        await Expect(rows).ToHaveCountAsync(AuditedHistory.Events - 1);
        await Expect(page.GetByTestId("tier-band")).ToHaveCountAsync(2);

        await page.FillAsync("[data-testid=known-at]", "");
        await ShowAsync(page);
        await Expect(page.GetByTestId("tier-at")).ToHaveTextAsync("Partner");
        await Expect(page.GetByTestId("rating-dot")).ToHaveCountAsync(2);
        await ScreenshotAsync(page, "audit-page.png");
    }

    [Fact]
    public async Task A_key_without_the_auditor_role_is_told_it_needs_it()
    {
        var history = await fixture.HistoryAsync();
        var page = await OpenWithKeyAsync(fixture.ReaderKey);

        await page.FillAsync("[data-testid=customer-id]", history.CustomerId);
        await ShowAsync(page);

        await Expect(page.GetByTestId("message")).ToContainTextAsync("(403)");
        await Expect(page.GetByTestId("message")).ToContainTextAsync("auditor role");
        await Expect(page.Locator("#result")).ToBeHiddenAsync();
    }

    /// <summary>
    /// The last part of an audit with only a key and a browser: the digest file the auditor kept outside
    /// the database proves, through the page, that every stream still extends what the digest saw.
    /// </summary>
    [Fact]
    public async Task An_exported_digest_file_proves_from_the_browser_that_the_log_was_not_altered()
    {
        await fixture.HistoryAsync();
        var file = await fixture.ExportDigestFileAsync();
        var page = await OpenWithKeyAsync(fixture.AuditorKey);

        await page.SetInputFilesAsync("[data-testid=digest-file]", file);
        await page.ClickAsync("[data-testid=verify-digest]");

        var status = page.GetByTestId("digest-status");
        await Expect(status).ToHaveAttributeAsync("data-valid", "true");
        await Expect(status).ToContainTextAsync("The log extends digest");
        await Expect(page.GetByTestId("digest-problems").Locator("li")).ToHaveCountAsync(0);
        await ScreenshotAsync(page, "audit-page-digest.png");
    }

    [Fact]
    public async Task An_unknown_key_is_told_it_was_not_accepted()
    {
        var history = await fixture.HistoryAsync();
        var page = await OpenWithKeyAsync("rlk_not_a_key_of_this_ledger");

        await page.FillAsync("[data-testid=customer-id]", history.CustomerId);
        await ShowAsync(page);

        await Expect(page.GetByTestId("message")).ToContainTextAsync("The key was not accepted (401)");
    }

    [Fact]
    public async Task An_unknown_customer_is_reported_as_not_found()
    {
        var page = await OpenWithKeyAsync(fixture.AuditorKey);

        await page.FillAsync("[data-testid=customer-id]", "no-such-customer");
        await ShowAsync(page);

        await Expect(page.GetByTestId("message")).ToContainTextAsync("Not found (404)");
        await Expect(page.GetByTestId("message")).ToContainTextAsync("no-such-customer");
    }

    [Fact]
    public async Task The_key_is_kept_for_the_tab_only_and_can_be_forgotten()
    {
        var page = await OpenWithKeyAsync(fixture.AuditorKey);

        Assert.Equal(
            fixture.AuditorKey,
            await page.EvaluateAsync<string>("() => sessionStorage.getItem('relationship-ledger.audit-key')")
        );
        Assert.Equal(0, await page.EvaluateAsync<int>("() => localStorage.length"));
        await page.ClickAsync("[data-testid=forget-key]");
        await Expect(page.GetByTestId("key-state")).ToHaveTextAsync("No key yet.");
        await page.FillAsync("[data-testid=customer-id]", "anyone");
        await page.ClickAsync("[data-testid=show]");
        await Expect(page.GetByTestId("message")).ToHaveTextAsync("Enter the auditor key first.");
    }

    private async Task<IPage> OpenWithKeyAsync(string key)
    {
        var page = await fixture.NewPageAsync();
        var response = await page.GotoAsync("/audit");
        Assert.Equal(200, response!.Status);
        await page.FillAsync("[data-testid=api-key]", key);
        await page.ClickAsync("[data-testid=use-key]");
        await Expect(page.GetByTestId("key-state")).ToHaveTextAsync("A key is in use for this tab.");
        return page;
    }

    /// <summary>Clicks Show and waits for that request's answer to be drawn (or reported).</summary>
    private static async Task ShowAsync(IPage page)
    {
        var loads = await page.EvaluateAsync<int>("() => Number(document.body.dataset.loads ?? 0)");
        await page.ClickAsync("[data-testid=show]");
        await page.WaitForFunctionAsync("n => Number(document.body.dataset.loads ?? 0) > n", loads);
    }

    private async Task ScreenshotAsync(IPage page, string name)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 0);
        output.WriteLine($"Screenshot of the audit page: {path}");
    }

    /// <summary>
    /// The instant as a datetime-local input holds it: Chromium drops ":00" seconds from the value, and
    /// Playwright refuses a fill whose value the input would not keep as given.
    /// </summary>
    private static string Instant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString(
            instant.Second == 0 ? "yyyy-MM-dd'T'HH:mm" : "yyyy-MM-dd'T'HH:mm:ss",
            CultureInfo.InvariantCulture
        );
}
