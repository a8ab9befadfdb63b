using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using RelationshipLedger.Api.Http;
using RelationshipLedger.Application.Feed;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Api.Feed;

/// <summary>
/// <c>GET /events/stream</c>'s answer: Server-Sent Events, one message per event (<c>id</c> its
/// cursor, <c>event</c> its type, <c>data</c> the event as the feed's JSON), and a comment now and then
/// while nothing happens, so proxies keep the connection. It ends, without an error, when the client
/// goes away or the host stops; if the database fails mid-stream it ends too, and an EventSource
/// reconnects with Last-Event-ID and loses nothing.
/// </summary>
internal sealed partial class EventStreamResult(LiveFeed feed, GlobalPosition after, IReadOnlyCollection<string>? types)
    : IResult
{
    public const string ContentType = "text/event-stream";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var services = httpContext.RequestServices;
        var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var logger = services.GetRequiredService<ILogger<EventStreamResult>>();
        using var end = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, stopping);
        var response = httpContext.Response;

        await using var pages = feed.FollowAsync(after, types, end.Token).GetAsyncEnumerator(end.Token);
        // The first read comes before the answer starts: a database that cannot be reached is still a 503 problem.
        try
        {
            await pages.MoveNextAsync();
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            httpContext.Response.Headers.RetryAfter = "5";
            await Problems
                .Problem(
                    StatusCodes.Status503ServiceUnavailable,
                    "The ledger is stopping.",
                    "stopping",
                    "Reconnect in a moment; Last-Event-ID resumes where the stream left off."
                )
                .ExecuteAsync(httpContext);
            return;
        }
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(end.Token);

        // The feed yields at least once per idle interval; a comment at half that keeps silences shorter than it.
        var keepAliveAfter = feed.Options.IdleInterval / 2;
        var lastWrite = Stopwatch.GetTimestamp();
        try
        {
            do
            {
                var page = pages.Current;
                if (page.Count > 0)
                    await response.WriteAsync(Messages(page, json), end.Token);
                else if (Stopwatch.GetElapsedTime(lastWrite) >= keepAliveAfter)
                    await response.WriteAsync(": keep-alive\n\n", end.Token);
                else
                    continue;
                await response.Body.FlushAsync(end.Token);
                lastWrite = Stopwatch.GetTimestamp();
            } while (await pages.MoveNextAsync());
        }
        catch (OperationCanceledException) when (end.IsCancellationRequested)
        {
            // The client went away or the host is stopping: the stream simply ends.
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            LogDatabaseFailure(logger, exception);
        }
    }

    private static string Messages(IReadOnlyList<RecordedEvent> page, JsonSerializerOptions json)
    {
        var text = new StringBuilder(page.Count * 512);
        foreach (var recorded in page)
            // Serialized JSON is one line (strings escape their line breaks), so one data field holds it.
            text.Append("id: ")
                .Append(recorded.Position.ToString())
                .Append("\nevent: ")
                .Append(recorded.Type)
                .Append("\ndata: ")
                .Append(JsonSerializer.Serialize(AuditEvent.From(recorded), json))
                .Append("\n\n");
        return text.ToString();
    }

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "The event stream ended because the database failed; the client reconnects with Last-Event-ID."
    )]
    private static partial void LogDatabaseFailure(ILogger logger, Exception exception);
}
