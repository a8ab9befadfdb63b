using System.Globalization;
using RelationshipLedger.Api.Http;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Feed;
using RelationshipLedger.Application.Overview;
using RelationshipLedger.Application.Security;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Integrity;

namespace RelationshipLedger.Api.Audit;

public sealed record TimelineStep(AuditEvent Event, CustomerOverview After, IReadOnlyList<FieldChange> Changes);

public sealed record VerifyAnswer(bool Valid, long Events, ChainBreakAnswer? FirstBroken);

public sealed record ChainBreakAnswer(long Version, string Reason);

/// <summary>Raw streams, replays and chain verification (role <c>auditor</c>).</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder endpoints)
    {
        var customers = endpoints
            .MapGroup("/customers/{customerId}")
            .RequireAuthorization(Roles.Auditor)
            .WithTags("Audit");
        customers
            .MapGet("/events", GetEventsAsync)
            .WithSummary("The raw stream: every event with data, metadata, version, position, times and hash.")
            .Produces<IReadOnlyList<AuditEvent>>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        customers
            .MapGet("/timeline", GetTimelineAsync)
            .WithSummary(
                "Replay: each event, the overview after it and the fields it changed (only what was recorded by knownAt)."
            )
            .Produces<IReadOnlyList<TimelineStep>>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        customers
            .MapGet("/verify", VerifyAsync)
            .WithSummary("Recomputes the stream's hash chain and names the first broken version.")
            .Produces<VerifyAnswer>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    private static async Task<IResult> GetEventsAsync(HttpContext http, string customerId, EventStore.EventStore store)
    {
        if (!CustomerId.IsValid(customerId))
            return Problems.Invalid("customerId", $"is {CustomerId.Rule}.");
        var errors = new List<FieldError>();
        var from = Version(http.Request, "fromVersion", errors) ?? 1;
        var to = Version(http.Request, "toVersion", errors);
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        if (await store.GetStreamAsync(customerId, http.RequestAborted) is not { } stream)
            return Problems.NotFound($"No customer '{customerId}'.");
        var options = new StreamReadOptions { FromVersion = from, ToVersion = to };
        var events = new List<AuditEvent>();
        await foreach (var recorded in store.ReadStreamAsync(customerId, options, http.RequestAborted))
            events.Add(AuditEvent.From(recorded));
        http.Response.Headers.ETag = Preconditions.ETagOf(stream.Version);
        return TypedResults.Ok(events);
    }

    private static async Task<IResult> GetTimelineAsync(HttpContext http, string customerId, CustomerTimeline timeline)
    {
        if (!CustomerId.IsValid(customerId))
            return Problems.Invalid("customerId", $"is {CustomerId.Rule}.");
        var errors = new List<FieldError>();
        var knownAt = TimeTravelQuery.Instant(http.Request, "knownAt", errors);
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        var steps = await timeline.ReplayAsync(customerId, knownAt, http.RequestAborted);
        if (steps is null)
            return Problems.NotFound($"No customer '{customerId}' was known at the time asked about.");
        return TypedResults.Ok(
            steps.Select(s => new TimelineStep(AuditEvent.From(s.Event), s.After, s.Changes)).ToArray()
        );
    }

    private static async Task<IResult> VerifyAsync(
        string customerId,
        EventStore.EventStore store,
        ChainVerifier verifier,
        CancellationToken cancellationToken
    )
    {
        if (!CustomerId.IsValid(customerId))
            return Problems.Invalid("customerId", $"is {CustomerId.Rule}.");
        var result = await verifier.VerifyStreamAsync(customerId, cancellationToken);
        // No events and no head: nothing to verify. A head without events, or events without a head, is a break.
        if (result.Events == 0 && await store.GetStreamAsync(customerId, cancellationToken) is null)
            return Problems.NotFound($"No customer '{customerId}'.");
        var broken = result.FirstBroken is { } b ? new ChainBreakAnswer(b.Version, b.Reason) : null;
        return TypedResults.Ok(new VerifyAnswer(result.Valid, result.Events, broken));
    }

    private static long? Version(HttpRequest request, string name, List<FieldError> errors)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0)
            return null;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version >= 1)
            return version;
        errors.Add(new FieldError(name, "must be a whole number from 1."));
        return null;
    }
}
