using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace RelationshipLedger.Api.Http;

/// <summary>
/// The last line: a database that cannot be reached is a 503 with Retry-After; a database that refuses
/// the API's role a privilege (SQLSTATE 42501) is a 503 of its own, without Retry-After, since waiting
/// does not help until an operator grants it; a malformed request the framework rejected keeps its 4xx;
/// anything else is a 500 problem without internals.
/// </summary>
internal sealed partial class LedgerExceptionHandler(
    IProblemDetailsService problems,
    ILogger<LedgerExceptionHandler> logger
) : IExceptionHandler
{
    public const string PermissionDenied = "database-permission-denied";

    private const string PermissionDeniedDetail =
        "The database refused the API's role a privilege this request needs. Retrying will not help until "
        + "an operator grants it: run `ledger migrate --grant-api-role ROLE` as the schema's owner (docs/operations.md).";

    public async ValueTask<bool> TryHandleAsync(
        HttpContext httpContext,
        Exception exception,
        CancellationToken cancellationToken
    )
    {
        var (status, title, code) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "The request is malformed.", "bad-request"),
            _ when IsPermissionDenied(exception) => (
                StatusCodes.Status503ServiceUnavailable,
                "The ledger's database role lacks a privilege.",
                PermissionDenied
            ),
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
        if (status == StatusCodes.Status503ServiceUnavailable && code != PermissionDenied)
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
                    Detail = code == PermissionDenied ? PermissionDeniedDetail : null,
                    Extensions = { ["code"] = code, ["traceId"] = httpContext.TraceIdentifier },
                },
            }
        );
    }

    /// <summary>Whether the database refused a privilege, here or in an exception this one wraps.</summary>
    public static bool IsPermissionDenied(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
            if (exception is PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege })
                return true;
        return false;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed.")]
    private static partial void LogFailure(ILogger logger, string method, string path, Exception exception);
}
