using System.Net;
using System.Text.RegularExpressions;
using RelationshipLedger.Api.AuditPage;
using RelationshipLedger.Api.Tests.Support;

namespace RelationshipLedger.Api.Tests.AuditPage;

/// <summary>GET /audit and its files: served by the API itself, without a key, loading nothing from elsewhere.</summary>
public sealed partial class AuditPageFilesTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    [Theory]
    [InlineData("/audit")]
    [InlineData("/audit/")]
    [InlineData("/audit/index.html")]
    public async Task The_page_is_served_without_a_key_and_may_run_only_its_own_scripts(string path)
    {
        var response = await api.Anonymous().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains(
            "<title>Relationship Ledger · Audit timeline</title>",
            await response.Content.ReadAsStringAsync(),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task Every_file_the_page_refers_to_is_served_by_the_API()
    {
        var client = api.Anonymous();
        var index = await client.GetStringAsync("/audit");
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in LocalReference().Matches(index))
            referenced.Add(match.Groups["file"].Value);
        foreach (var script in AuditPageApi.FileNames.Where(f => f.EndsWith(".js", StringComparison.Ordinal)))
        foreach (Match match in ModuleImport().Matches(await client.GetStringAsync($"/audit/{script}")))
            referenced.Add(match.Groups["file"].Value);

        Assert.Contains("page.js", referenced);
        Assert.Contains("audit.css", referenced);
        Assert.Contains("api.js", referenced);
        foreach (var file in referenced)
        {
            var response = await client.GetAsync($"/audit/{file}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"/audit/{file} answered {(int)response.StatusCode}");
            var expected = file.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript" : "text/css";
            Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task No_file_of_the_page_loads_anything_from_another_host()
    {
        var client = api.Anonymous();

        Assert.NotEmpty(AuditPageApi.FileNames);
        foreach (var file in AuditPageApi.FileNames)
        {
            var text = await client.GetStringAsync($"/audit/{file}");
            Assert.False(
                RemoteReference().IsMatch(text),
                $"{file} refers to another host: {RemoteReference().Match(text).Value}"
            );
        }
    }

    [Fact]
    public async Task A_file_the_page_does_not_have_is_a_not_found_problem()
    {
        var response = await api.Anonymous().GetAsync("/audit/secrets.json");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task The_data_the_page_shows_still_needs_a_key()
    {
        var history = await api.HistoryAsync();

        var response = await api.Anonymous().GetAsync($"{history.Path}/timeline");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [GeneratedRegex("""(?:src|href)="/audit/(?<file>[^"]+)""")]
    private static partial Regex LocalReference();

    [GeneratedRegex("""from "\./(?<file>[^"]+)""")]
    private static partial Regex ModuleImport();

    // A script, style, image, import or fetch whose address names a host: the page must work offline.
    [GeneratedRegex(
        """(?:src|href)\s*=\s*["']?(?:https?:)?//|from\s+["'](?:https?:)?//|url\(\s*["']?(?:https?:)?//|fetch\(\s*["'`](?:https?:)?//|@import"""
    )]
    private static partial Regex RemoteReference();
}
