using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using RelationshipLedger.Api.Hosting;
using RelationshipLedger.EventStore;
using RelationshipLedger.EventStore.Daemon;

namespace RelationshipLedger.Api.Health;

/// <summary>The database as seen from this process.</summary>
public sealed record DatabaseHealth(
    string Status,
    bool Embedded,
    string? ServerVersion,
    int? SchemaVersion,
    string? Error
);

/// <summary>A projection as health shows it: no errors (they may carry data; <c>GET /admin/projections</c> has them).</summary>
public sealed record ProjectionHealth(
    string Name,
    ProjectionState State,
    string Position,
    long LagEvents,
    double LagSeconds,
    bool RunsHere
);

/// <summary>
/// The projection daemon: <c>Running</c> in this process or <c>Stopped</c>, its node, and every
/// projection (null when the database does not answer).
/// </summary>
public sealed record DaemonHealth(string Status, string Node, IReadOnlyList<ProjectionHealth>? Projections);

/// <summary>The answer of <c>GET /health</c>.</summary>
public sealed record HealthReport(string Status, DatabaseHealth Database, DaemonHealth Daemon);

/// <summary>
/// <c>GET /health</c>: unauthenticated; 200 when the database answers (<c>Degraded</c> when a projection
/// is paused at a dead letter), 503 when it does not (database <c>Down</c>, with Retry-After) or refuses
/// this process's role what the probe reads (database <c>Denied</c>, without).
/// </summary>
public static class HealthApi
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints
            .MapGet("/health", GetHealthAsync)
            .WithName("GetHealth")
            .WithSummary("Whether the ledger can reach its database, and the schema version it runs on.")
            .AllowAnonymous()
            // Probes keep working whatever a client on the same address does.
            .DisableRateLimiting();
        return endpoints;
    }

    private static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> GetHealthAsync(
        NpgsqlDataSource dataSource,
        LedgerDatabaseInfo database,
        ProjectionDaemon daemon,
        ProjectionOperations projections,
        HttpContext context,
        CancellationToken cancellationToken
    )
    {
        context.Response.Headers.CacheControl = "no-store";
        var (probe, statuses) = await ProbeAsync(dataSource, projections, database.IsEmbedded, cancellationToken);
        var daemonHealth = new DaemonHealth(
            daemon.IsRunning ? "Running" : "Stopped",
            daemon.NodeName,
            statuses?.Select(s => ProjectionHealthOf(s, daemon.NodeName)).ToArray()
        );
        if (probe.Status == "Up")
        {
            var paused = statuses?.Any(s => s.State == ProjectionState.Paused) == true;
            return TypedResults.Ok(new HealthReport(paused ? "Degraded" : "Healthy", probe, daemonHealth));
        }
        // A role refused a privilege stays refused until an operator grants it: no point in coming back soon.
        if (probe.Status == "Down")
            context.Response.Headers.RetryAfter = "5";
        return TypedResults.Json(
            new HealthReport("Unhealthy", probe, daemonHealth),
            statusCode: StatusCodes.Status503ServiceUnavailable
        );
    }

    private static ProjectionHealth ProjectionHealthOf(ProjectionStatus status, string node) =>
        new(
            status.Name,
            status.State,
            status.Position.ToString(),
            status.LagEvents,
            status.LagSeconds,
            status.Holder == node
        );

    private static async Task<(DatabaseHealth Database, IReadOnlyList<ProjectionStatus>? Projections)> ProbeAsync(
        NpgsqlDataSource dataSource,
        ProjectionOperations projections,
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
            var database = new DatabaseHealth("Up", embedded, serverVersion, schemaVersion, Error: null);
            return (database, await ProjectionsAsync(projections, timeout.Token));
        }
        catch (PostgresException refused) when (refused.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            // The database answers, but refuses this process's role what the probe reads.
            return (new DatabaseHealth("Denied", embedded, null, null, refused.MessageText), null);
        }
        catch (Exception exception)
            when (exception is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            var error =
                exception is OperationCanceledException
                    ? $"no answer within {ProbeTimeout.TotalSeconds:0} s"
                    : exception.Message;
            return (new DatabaseHealth("Down", embedded, ServerVersion: null, SchemaVersion: null, error), null);
        }
    }

    /// <summary>The projections' statuses, or null when they cannot be read (the database still answers).</summary>
    private static async Task<IReadOnlyList<ProjectionStatus>?> ProjectionsAsync(
        ProjectionOperations projections,
        CancellationToken cancellationToken
    )
    {
        try
        {
            return await projections.ListAsync(cancellationToken);
        }
        catch (Exception exception)
            when (exception is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return null;
        }
    }
}
