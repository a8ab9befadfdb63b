using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RelationshipLedger.Api.Tests.Support;
using RelationshipLedger.Application.Security;

namespace RelationshipLedger.Api.Tests.Security;

/// <summary>
/// Every route of the API (as the running app's endpoint data source lists them, so a new route cannot be
/// forgotten) called by every role, without a key, with a wrong key and with a revoked key: exactly the
/// callers <see cref="Matrix"/> allows get past authorization; a caller without a valid key gets 401, a key
/// without the route's role 403. The same table is in docs/security.md.
/// </summary>
public sealed partial class AccessMatrixTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    /// <summary>
    /// Who may call each route: <c>anyone</c> (no key needed), or the roles whose keys may. A key of any other
    /// role is a 403; no key, an unknown key or a revoked key is a 401.
    /// </summary>
    private const string Matrix = """
        GET  /health                                                         anyone
        GET  /openapi/{documentName}.json                                    anyone
        GET  /audit                                                          anyone
        GET  /audit/{file}                                                   anyone
        POST /customers                                                      recorder
        POST /customers/import                                               recorder
        POST /customers/{customerId}/profile                                 recorder
        POST /customers/{customerId}/owner                                   recorder
        POST /customers/{customerId}/contacts                                recorder
        POST /customers/{customerId}/purchases                               recorder
        POST /customers/{customerId}/purchases/{orderId}/refunds             recorder
        POST /customers/{customerId}/complaints                              recorder
        POST /customers/{customerId}/complaints/{complaintId}/resolution     recorder
        POST /customers/{customerId}/surveys                                 recorder
        POST /customers/{customerId}/tier                                    recorder
        POST /customers/{customerId}/care-tier                               recorder
        POST /customers/{customerId}/end                                     recorder
        POST /customers/{customerId}/reactivate                              recorder
        POST /customers/{customerId}/erase                                   admin
        GET  /customers                                                      reader auditor
        GET  /customers/{customerId}                                         reader auditor
        GET  /customers/{customerId}/tiers                                   reader auditor
        GET  /customers/{customerId}/stages                                  reader auditor
        GET  /customers/{customerId}/satisfaction                            reader auditor
        GET  /customers/{customerId}/owners                                  reader auditor
        GET  /owners/{ownerId}/customers                                     reader auditor
        GET  /portfolio/abc                                                  reader auditor
        GET  /watchlist/churn                                                reader auditor
        GET  /customers/{customerId}/events                                  auditor
        GET  /customers/{customerId}/timeline                                auditor
        GET  /customers/{customerId}/verify                                  auditor
        GET  /customers/{customerId}/corrections                             auditor
        GET  /events                                                         auditor
        GET  /events/stream                                                  auditor
        GET  /ledger/digests                                                 auditor
        GET  /ledger/digests/{id:long}                                       auditor
        POST /ledger/digests                                                 auditor
        GET  /ledger/verify                                                  auditor
        POST /ledger/verify                                                  auditor
        GET  /admin/process                                                  admin
        GET  /admin/projections                                              admin
        GET  /admin/projections/{name}/dead-letters                          admin
        POST /admin/projections/{name}/resume                                admin
        POST /admin/projections/{name}/rebuild                               admin
        GET  /admin/projections/{name}/content-hash                          admin
        GET  /admin/projections/{name}/rebuilds/latest                       admin
        GET  /admin/rebuilds/{id:long}                                       admin
        """;

    private const string Anyone = "anyone";

    /// <summary>
    /// What each route parameter is filled with. Unknown projections, digests and rebuilds are fine: a 404 has
    /// passed authorization, and nothing is rebuilt or resumed.
    /// </summary>
    private static readonly Dictionary<string, string> RouteValues = new()
    {
        ["orderId"] = "o-1",
        ["complaintId"] = "c-1",
        ["ownerId"] = "alice",
        ["name"] = "no-such-projection",
        ["id"] = "999999",
        ["documentName"] = "v1",
        ["file"] = "page.js",
    };

    [Fact]
    public void Every_route_of_the_api_has_an_entry_in_the_matrix_and_every_entry_a_route()
    {
        var routes = ApiRoutes().Select(r => r.Key).ToHashSet();
        var expected = ExpectedAccess().Keys.ToHashSet();

        Assert.True(
            routes.SetEquals(expected),
            $"Routes without an entry in the matrix: {string.Join(", ", routes.Except(expected))}. "
                + $"Entries without a route: {string.Join(", ", expected.Except(routes))}."
        );
    }

    [Fact]
    public async Task Exactly_the_allowed_callers_pass_authorization_on_every_route()
    {
        var customerId = LedgerHttp.NewCustomerId("matrix");
        await api.Bootstrap.RegisterAsync(customerId);
        var callers = await CallersAsync();
        var expected = ExpectedAccess();
        var eventsBefore = await CountEventsAsync();
        var wrong = new List<string>();

        foreach (var route in ApiRoutes())
        {
            Assert.True(expected.TryGetValue(route.Key, out var allowed), $"{route.Key} has no entry in the matrix.");
            var path = PathOf(route.Pattern, customerId);
            foreach (var (caller, client) in callers)
            {
                var outcome = await CallAsync(client, route, path);
                var expectedOutcome = Expect(allowed, caller);
                if (outcome != expectedOutcome)
                    wrong.Add($"{route.Key} as {caller}: expected {expectedOutcome}, got {outcome}");
            }
        }

        Assert.True(
            wrong.Count == 0,
            $"{wrong.Count} call(s) were not answered as the matrix says:\n{string.Join('\n', wrong)}"
        );
        Assert.Equal(eventsBefore, await CountEventsAsync());
    }

    /// <summary>Every route the app serves, as "METHOD /pattern" with the pattern's trailing slash dropped.</summary>
    private List<ApiRoute> ApiRoutes()
    {
        var endpoints = api.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints;
        var routes = new List<ApiRoute>();
        foreach (var endpoint in endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText ?? "";
            pattern = pattern.Length > 1 ? pattern.TrimEnd('/') : pattern;
            if (!pattern.StartsWith('/'))
                pattern = "/" + pattern;
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"];
            var mediaType = endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes is { Count: > 0 } types
                ? types[0]
                : null;
            routes.AddRange(methods.Select(method => new ApiRoute(method, pattern, mediaType ?? "application/json")));
        }
        return routes;
    }

    private static Dictionary<string, string[]> ExpectedAccess()
    {
        var access = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var line in Matrix.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(cells.Length >= 3, $"A matrix line is 'METHOD /route who': '{line}'.");
            var who = cells[2..];
            Assert.All(who, w => Assert.True(w == Anyone || Roles.IsKnown(w), $"'{w}' in '{line}' is not a role."));
            Assert.True(
                access.TryAdd($"{cells[0]} {cells[1]}", who),
                $"'{cells[0]} {cells[1]}' is in the matrix twice."
            );
        }
        return access;
    }

    /// <summary>The callers: a key per role, and three that have no valid key.</summary>
    private async Task<List<(string Caller, HttpClient Client)>> CallersAsync()
    {
        var keys = api.Factory.Services.GetRequiredService<ApiKeyStore>();
        var revoked = await keys.CreateAsync("matrix-revoked", Roles.All.ToArray());
        Assert.True(await keys.RevokeAsync("matrix-revoked"));
        var callers = new List<(string, HttpClient)>
        {
            (Caller.NoKey, api.Anonymous()),
            (Caller.WrongKey, api.ClientWithKey($"rlk_{Guid.NewGuid():N}")),
            (Caller.RevokedKey, api.ClientWithKey(revoked)),
        };
        foreach (var role in Roles.All)
            callers.Add((role, await api.ClientWithRolesAsync($"matrix-{role}", role)));
        return callers;
    }

    private static string Expect(string[] allowed, string caller) =>
        allowed.Contains(Anyone) || allowed.Contains(caller) ? Outcome.Passed
        : caller is Caller.NoKey or Caller.WrongKey or Caller.RevokedKey ? Outcome.Unauthenticated
        : Outcome.Forbidden;

    /// <summary>
    /// Calls a route and says how authorization went. Only the headers are awaited: the feed's stream never
    /// ends by itself. A command gets an empty object, which every command refuses with a 400 (an import reports the
    /// line as bad), so nothing is appended.
    /// </summary>
    private static async Task<string> CallAsync(HttpClient client, ApiRoute route, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), path);
        if (route.Method == "POST")
            request.Content = new StringContent("{}", Encoding.UTF8, route.MediaType);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        var status = (int)response.StatusCode;
        return status switch
        {
            401 => await CodeAsync(response) == "unauthenticated"
                ? Outcome.Unauthenticated
                : $"401 {await CodeAsync(response)}",
            403 => await CodeAsync(response) == "forbidden" ? Outcome.Forbidden : $"403 {await CodeAsync(response)}",
            >= 500 => $"{status} (a server error)",
            _ => Outcome.Passed,
        };
    }

    private static async Task<string?> CodeAsync(HttpResponseMessage response)
    {
        var problem = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
        return problem.TryGetProperty("code", out var code) ? code.GetString() : null;
    }

    private static string PathOf(string pattern, string customerId) =>
        Parameter()
            .Replace(
                pattern,
                match =>
                {
                    var name = match.Groups["name"].Value;
                    if (name == "customerId")
                        return customerId;
                    Assert.True(
                        RouteValues.TryGetValue(name, out var value),
                        $"Route parameter '{name}' of {pattern} has no value in {nameof(RouteValues)}."
                    );
                    return value;
                }
            );

    private async Task<long> CountEventsAsync()
    {
        await using var command = api.Database.DataSource.CreateCommand("select count(*) from ledger.events");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [GeneratedRegex(@"\{(?<name>\w+)(:[^}]*)?\}")]
    private static partial Regex Parameter();

    /// <summary>A route and the media type its body is sent as: routing answers any other with a 415 before authorization.</summary>
    private sealed record ApiRoute(string Method, string Pattern, string MediaType)
    {
        public string Key => $"{Method} {Pattern}";
    }

    private static class Caller
    {
        public const string NoKey = "no key";
        public const string WrongKey = "a wrong key";
        public const string RevokedKey = "a revoked key";
    }

    private static class Outcome
    {
        public const string Passed = "passed authorization";
        public const string Unauthenticated = "401 unauthenticated";
        public const string Forbidden = "403 forbidden";
    }
}
