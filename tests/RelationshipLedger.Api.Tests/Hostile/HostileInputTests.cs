using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RelationshipLedger.Api.Tests.Support;

namespace RelationshipLedger.Api.Tests.Hostile;

/// <summary>
/// Thousands of generated malformed requests to every command route (<see cref="HostileRequests"/>): every one
/// is answered with a 4xx problem, none with a 5xx; the log holds exactly as many events afterwards; and the API
/// is healthy and takes a good command after. The generator is seeded (<see cref="Seed"/>, or
/// <c>LEDGER_HOSTILE_SEED</c>), so a failing request reproduces.
/// </summary>
public sealed class HostileInputTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    private const int DefaultSeed = 20261204;
    private const int Requests = 6000;

    private static int Seed => HostileRun.Seed(DefaultSeed);

    /// <summary>The key each command route takes (the bootstrap key holds every role).</summary>
    private HttpClient Caller(string path) => CommandShape.NeedsAdmin(path) ? api.Bootstrap : api.Recorder;

    [Fact]
    public void Every_command_route_has_a_shape_for_the_generator()
    {
        var endpoints = api.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints;
        var commandRoutes = endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("POST") == true)
            .Where(e => e.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes.Contains("application/json") == true)
            .Select(e => (e.RoutePattern.RawText ?? "").TrimEnd('/'))
            .ToHashSet();
        var shaped = CommandShape.All.Select(s => s.Route).ToHashSet();

        Assert.True(
            commandRoutes.SetEquals(shaped),
            $"Command routes without a shape: {string.Join(", ", commandRoutes.Except(shaped))}. "
                + $"Shapes without a route: {string.Join(", ", shaped.Except(commandRoutes))}."
        );
    }

    [Fact]
    public async Task Every_shapes_valid_body_is_accepted_so_each_generated_fault_is_what_gets_refused()
    {
        var id = await CustomerWithOrderAndComplaintAsync("hostile-valid");

        foreach (var shape in CommandShape.All.Where(s => s.Route != "/customers"))
            await Caller(shape.Route).CommandAsync(Path(shape.Route, id), shape.ValidBody(id));
        var fresh = LedgerHttp.NewCustomerId("hostile-register");
        await api.Recorder.CommandAsync("/customers", CommandShape.All[0].ValidBody(fresh));
    }

    [Fact]
    public async Task Thousands_of_malformed_commands_are_all_refused_with_a_4xx_and_append_nothing()
    {
        var id = await CustomerWithOrderAndComplaintAsync("hostile");
        var requests = new HostileRequests(new Random(Seed), id).Generate(CommandShape.All, Requests);
        var eventsBefore = await CountEventsAsync();
        var wrong = new ConcurrentBag<string>();

        await Parallel.ForEachAsync(
            requests,
            new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (request, cancellationToken) =>
            {
                using var message = request.ToHttp();
                using var response = await Caller(request.Path).SendAsync(message, cancellationToken);
                var status = (int)response.StatusCode;
                var mediaType = response.Content.Headers.ContentType?.MediaType;
                if (status is < 400 or >= 500 || mediaType != ProblemAssert.MediaType)
                    wrong.Add(
                        $"{status} {mediaType}: {request} → {await response.Content.ReadAsStringAsync(cancellationToken)}"
                    );
            }
        );

        Assert.True(
            wrong.IsEmpty,
            $"{wrong.Count} of {Requests} malformed requests (seed {Seed}) were not a 4xx problem:\n"
                + string.Join("\n", wrong.OrderBy(w => w, StringComparer.Ordinal).Take(25))
        );
        Assert.Equal(eventsBefore, await CountEventsAsync());
        Assert.Equal(HttpStatusCode.OK, (await api.Anonymous().GetAsync("/health")).StatusCode);
        await api.Recorder.CommandAsync($"/customers/{id}/surveys", new { surveyId = "after-the-storm", rating = 5 });
        Assert.Equal(eventsBefore + 1, await CountEventsAsync());
    }

    /// <summary>A registered customer with order o-1 and open complaint c-1, which refunds and resolutions name.</summary>
    private async Task<string> CustomerWithOrderAndComplaintAsync(string prefix)
    {
        var id = LedgerHttp.NewCustomerId(prefix);
        await api.Recorder.RegisterAsync(id);
        await api.Recorder.CommandAsync(
            $"/customers/{id}/purchases",
            new
            {
                orderId = "o-1",
                amount = 500m,
                currency = "EUR",
            }
        );
        await api.Recorder.CommandAsync(
            $"/customers/{id}/complaints",
            new
            {
                complaintId = "c-1",
                category = "Delivery",
                severity = "Low",
                description = "Late",
            }
        );
        return id;
    }

    private static string Path(string route, string customerId) =>
        route
            .Replace("{customerId}", customerId, StringComparison.Ordinal)
            .Replace("{orderId}", "o-1", StringComparison.Ordinal)
            .Replace("{complaintId}", "c-1", StringComparison.Ordinal);

    private Task<long> CountEventsAsync() => HostileRun.CountEventsAsync(api.Database.DataSource);
}
