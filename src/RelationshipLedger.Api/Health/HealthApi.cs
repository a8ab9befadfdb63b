using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using RelationshipLedger.Api.Hosting;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Api.Health;

/// <summary>The database as seen from this process.</summary>
public sealed record DatabaseHealth(
    string Status,
    bool Embedded,
    string? ServerVersion,
    int? SchemaVersion,
    string? Error
);

/// <summary>The answer of <c>GET /health</c>.</summary>
public sealed record HealthReport(string Status, DatabaseHealth Database);

/// <summary><c>GET /health</c>: unauthenticated; 200 when the database answers, 503 when it does not.</summary>
public static class HealthApi
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints
            .MapGet("/health", GetHealthAsync)
            .WithName("GetHealth")
            .WithSummary("Whether the ledger can reach its database, and the schema version it runs on.")
            .AllowAnonymous();
        return endpoints;
    }

    private static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> GetHealthAsync(
        NpgsqlDataSource dataSource,
        LedgerDatabaseInfo database,
        HttpContext context,
        CancellationToken cancellationToken
    )
    {
        context.Response.Headers.CacheControl = "no-store";
        var probe = await ProbeAsync(dataSource, database.IsEmbedded, cancellationToken);
        if (probe.Status == "Up")
            return TypedResults.Ok(new HealthReport("Healthy", probe));
        context.Response.Headers.RetryAfter = "5";
        return TypedResults.Json(
            new HealthReport("Unhealthy", probe),
            statusCode: StatusCodes.Status503ServiceUnavailable
        );
    }

    private static async Task<DatabaseHealth> ProbeAsync(
        NpgsqlDataSource dataSource,
        bool embedded,
        CancellationToken cancellationToken
    )
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await using var command = dataSource.CreateCommand("select current_setting('server_version')");
            var serverVersion = (string)(await command.ExecuteScalarAsync(timeout.Token))!;
            var schemaVersion = await SchemaMigrator.CurrentVersionAsync(dataSource, timeout.Token);
            return new DatabaseHealth("Up", embedded, serverVersion, schemaVersion, Error: null);
        }
        catch (Exception exception)
            when (exception is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            var error =
                exception is OperationCanceledException
                    ? $"no answer within {ProbeTimeout.TotalSeconds:0} s"
                    : exception.Message;
            return new DatabaseHealth("Down", embedded, ServerVersion: null, SchemaVersion: null, error);
        }
    }
}
