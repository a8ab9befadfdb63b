using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace RelationshipLedger.Api.Http;

/// <summary>
/// The last line: a database that cannot be reached is a 503 with Retry-After; a malformed request
/// the framework rejected keeps its 4xx; anything else is a 500 problem without internals.
/// </summary>
internal sealed partial class LedgerExceptionHandler(
    IProblemDetailsService problems,
    ILogger<LedgerExceptionHandler> logger
) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(
        HttpContext httpContext,
        Exception exception,
        CancellationToken cancellationToken
    )
    {
        var (status, title, code) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "The request is malformed.", "bad-request"),
            NpgsqlException or TimeoutException => (
                StatusCodes.Status503ServiceUnavailable,
                "The ledger's database is unavailable.",
                "database-unavailable"
            ),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => (
                499,
                "The client went away.",
                "cancelled"
            ),
            _ => (StatusCodes.Status500InternalServerError, "The ledger failed to answer.", "internal-error"),
        };
        if (status >= 500)
            LogFailure(logger, httpContext.Request.Method, httpContext.Request.Path, exception);
        if (status == StatusCodes.Status503ServiceUnavailable)
            httpContext.Response.Headers.RetryAfter = "5";
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(
            new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails =
                {
                    Status = status,
                    Title = title,
                    Extensions = { ["code"] = code, ["traceId"] = httpContext.TraceIdentifier },
                },
            }
        );
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed.")]
    private static partial void LogFailure(ILogger logger, string method, string path, Exception exception);
}
