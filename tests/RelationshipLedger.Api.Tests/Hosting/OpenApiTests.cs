using System.Net;
using RelationshipLedger.Api.Tests.Support;

namespace RelationshipLedger.Api.Tests.Hosting;

/// <summary>The API describes itself: an OpenAPI document at /openapi/v1.json and a browsable UI at /docs.</summary>
public sealed class OpenApiTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    private static readonly string[] CommandRoutes =
    [
        "/customers/{customerId}/profile",
        "/customers/{customerId}/owner",
        "/customers/{customerId}/contacts",
        "/customers/{customerId}/purchases",
        "/customers/{customerId}/purchases/{orderId}/refunds",
        "/customers/{customerId}/complaints",
        "/customers/{customerId}/complaints/{complaintId}/resolution",
        "/customers/{customerId}/surveys",
        "/customers/{customerId}/tier",
        "/customers/{customerId}/care-tier",
        "/customers/{customerId}/end",
        "/customers/{customerId}/reactivate",
    ];

    [Fact]
    public async Task The_openapi_document_lists_every_command_route_as_a_post()
    {
        using var anonymous = api.Anonymous();

        var response = await anonymous.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var document = await response.ReadJsonAsync();
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = document.GetProperty("paths");
        Assert.True(
            paths.TryGetProperty("/customers", out var register) || paths.TryGetProperty("/customers/", out register),
            "POST /customers is missing"
        );
        Assert.True(register.TryGetProperty("post", out _));
        foreach (var route in CommandRoutes)
        {
            Assert.True(paths.TryGetProperty(route, out var path), $"{route} is missing");
            Assert.True(path.TryGetProperty("post", out _), $"{route} has no POST");
        }
    }

    [Fact]
    public async Task The_openapi_document_declares_the_api_key_scheme_and_the_queries()
    {
        using var anonymous = api.Anonymous();

        var document = await (await anonymous.GetAsync("/openapi/v1.json")).ReadJsonAsync();

        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("ApiKey").GetProperty("scheme").GetString());
        var paths = document.GetProperty("paths");
        foreach (var route in new[] { "", "/tiers", "/stages", "/satisfaction", "/events", "/timeline", "/verify" })
        {
            var key = $"/customers/{{customerId}}{route}";
            Assert.True(
                paths.TryGetProperty(key, out var path) || paths.TryGetProperty(key + "/", out path),
                $"{key} is missing"
            );
            Assert.True(path.TryGetProperty("get", out _), $"{key} has no GET");
        }
    }

    [Fact]
    public async Task Docs_serves_the_browsable_ui_for_that_document()
    {
        using var anonymous = api.Anonymous();

        var response = await anonymous.GetAsync("/docs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("swagger-ui", html, StringComparison.OrdinalIgnoreCase);
        var config = await anonymous.GetAsync("/docs/index.js");
        Assert.Equal(HttpStatusCode.OK, config.StatusCode);
        Assert.Contains("/openapi/v1.json", await config.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
