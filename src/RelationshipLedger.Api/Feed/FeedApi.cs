using RelationshipLedger.Api.Http;
using RelationshipLedger.Application.Feed;
using RelationshipLedger.Application.Security;
using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Api.Feed;

/// <summary>A page of the feed: events in global order, and the cursor to ask for the next page with.</summary>
public sealed record FeedPage(IReadOnlyList<AuditEvent> Events, string Next);

/// <summary>The global log for data teams (role <c>auditor</c>): pages, and a live Server-Sent Events stream.</summary>
public static class FeedApi
{
    public static IEndpointRouteBuilder MapFeedApi(this IEndpointRouteBuilder endpoints)
    {
        var feed = endpoints.MapGroup("/events").RequireAuthorization(Roles.Auditor).WithTags("Feed");
        feed.MapGet("", GetPageAsync)
            .WithSummary(
                "Events after a cursor in global order, gap-free: an event is never returned after a later one. "
                    + "next is the cursor to continue with (the one given when the page is empty)."
            )
            .Produces<FeedPage>()
            .ProducesValidationProblem();
        feed.MapGet("/stream", GetStream)
            .WithSummary(
                "Server-Sent Events: every event after the cursor (or Last-Event-ID), then each new one as it commits. "
                    + "Each message's id is its cursor, its event the event type, its data the event as JSON."
            )
            .Produces<string>(StatusCodes.Status200OK, EventStreamResult.ContentType)
            .ProducesValidationProblem();
        return endpoints;
    }

    private static async Task<IResult> GetPageAsync(
        HttpRequest request,
        EventStore.EventStore store,
        CancellationToken cancellationToken
    )
    {
        var errors = new List<FieldError>();
        var after = FeedQuery.After(request, errors);
        var limit = FeedQuery.Limit(request, errors);
        var types = FeedQuery.Types(request, errors);
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        var events = await store.ReadAllAsync(after, limit, types.Types, cancellationToken);
        var next = events.Count > 0 ? events[^1].Position : after;
        return TypedResults.Ok(new FeedPage([.. events.Select(AuditEvent.From)], next.ToString()));
    }

    private static IResult GetStream(HttpRequest request, LiveFeed feed)
    {
        var errors = new List<FieldError>();
        var after = FeedQuery.After(request, errors);
        var lastEventId = FeedQuery.LastEventId(request, errors);
        var types = FeedQuery.Types(request, errors);
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        // A reconnecting EventSource repeats the URL it first used; Last-Event-ID says how far it got since.
        return new EventStreamResult(feed, lastEventId ?? after, types.Types);
    }
}
