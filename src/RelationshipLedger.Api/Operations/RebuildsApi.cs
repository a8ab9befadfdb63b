using RelationshipLedger.Application.Security;
using RelationshipLedger.EventStore.Projections;
using RelationshipLedger.EventStore.Rebuilds;

namespace RelationshipLedger.Api.Operations;

/// <summary>A content hash: SHA-256 of the rows, how many rows, and the checkpoint (<c>TX-SEQ</c>) they were at.</summary>
public sealed record ContentHashAnswer(string Hash, long Rows, string Position)
{
    public static ContentHashAnswer From(ContentHash hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return new(hash.Hash, hash.Rows, hash.Position.ToString());
    }
}

/// <summary>
/// A rebuild: its state, progress (events done of the total to the head, the current run's rate,
/// seconds left at that rate), the shadow's content hash before the swap and the live model's from the
/// same snapshot (<c>matchesLive</c> null when they were at different events), and the error that stopped it.
/// </summary>
public sealed record RebuildAnswer(
    long Id,
    string Projection,
    RebuildState State,
    string Position,
    long EventsDone,
    long EventsTotal,
    double EventsPerSecond,
    double? EtaSeconds,
    ContentHashAnswer? ContentHash,
    ContentHashAnswer? LiveHash,
    bool? MatchesLive,
    string? Error,
    string? Node,
    DateTimeOffset StartedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt
)
{
    public static RebuildAnswer From(RebuildStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new(
            status.Id,
            status.Projection,
            status.State,
            status.Position.ToString(),
            status.EventsDone,
            status.EventsTotal,
            status.EventsPerSecond,
            status.TimeLeft?.TotalSeconds,
            status.Hashes is { } shadow ? ContentHashAnswer.From(shadow.Shadow) : null,
            status.Hashes is { } live ? ContentHashAnswer.From(live.Live) : null,
            status.Hashes?.MatchesLive,
            status.Error,
            status.Node,
            status.StartedAt,
            status.UpdatedAt,
            status.FinishedAt
        );
    }
}

/// <summary>Blue/green rebuilds of asynchronous projections and their content hashes (role <c>admin</c>; docs/rebuilds.md).</summary>
public static class RebuildsApi
{
    internal static void MapProjectionRebuilds(this IEndpointRouteBuilder endpoints, RouteGroupBuilder projections)
    {
        projections
            .MapPost("/{name}/rebuild", StartAsync)
            .WithName("RebuildProjection")
            .WithSummary(
                "Rebuilds a projection into shadow tables while the live one serves, then swaps it in; resumes an interrupted rebuild."
            )
            .Produces<RebuildAnswer>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        projections
            .MapGet("/{name}/content-hash", ContentHashAsync)
            .WithName("ProjectionContentHash")
            .WithSummary("The SHA-256 of the live model's rows and the checkpoint they are at, from one snapshot.")
            .Produces<ContentHashAnswer>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        projections
            .MapGet("/{name}/rebuilds/latest", LatestAsync)
            .WithName("LatestRebuild")
            .WithSummary("The projection's most recent rebuild.")
            .Produces<RebuildAnswer>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        endpoints
            .MapGet("/admin/rebuilds/{id:long}", GetAsync)
            .RequireAuthorization(Roles.Admin)
            .WithTags("Operations")
            .WithName("GetRebuild")
            .WithSummary("A rebuild's state, progress (events done, total, rate, ETA), content hashes and error.")
            .Produces<RebuildAnswer>()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> StartAsync(
        string name,
        BackgroundRebuilds rebuilds,
        RebuildOperations operations,
        CancellationToken cancellationToken
    )
    {
        if (!ProjectionNames.IsValid(name))
            return ProjectionsApi.InvalidName();
        var start = await rebuilds.StartAsync(name, cancellationToken);
        switch (start.Outcome)
        {
            case RebuildStartOutcome.UnknownProjection:
                return ProjectionsApi.UnknownProjection(name);
            case RebuildStartOutcome.AlreadyRunning:
                var running = await operations.LatestAsync(name, cancellationToken);
                return Http.Problems.Problem(
                    StatusCodes.Status409Conflict,
                    "A rebuild is already running.",
                    "rebuild-already-running",
                    $"Projection '{name}' is being rebuilt"
                        + (running is null ? "." : $" (rebuild {running.Id}, see /admin/rebuilds/{running.Id}).")
                );
            default:
                var status = await operations.GetAsync(start.Id!.Value, cancellationToken);
                return TypedResults.Accepted($"/admin/rebuilds/{start.Id}", RebuildAnswer.From(status!));
        }
    }

    private static async Task<IResult> GetAsync(
        long id,
        RebuildOperations operations,
        CancellationToken cancellationToken
    ) =>
        await operations.GetAsync(id, cancellationToken) is { } status
            ? TypedResults.Ok(RebuildAnswer.From(status))
            : Http.Problems.Problem(
                StatusCodes.Status404NotFound,
                "Unknown rebuild.",
                "rebuild-not-found",
                $"There is no rebuild {id}."
            );

    private static async Task<IResult> LatestAsync(
        string name,
        BackgroundRebuilds rebuilds,
        RebuildOperations operations,
        CancellationToken cancellationToken
    )
    {
        if (!ProjectionNames.IsValid(name))
            return ProjectionsApi.InvalidName();
        if (rebuilds.Find(name) is null)
            return ProjectionsApi.UnknownProjection(name);
        return await operations.LatestAsync(name, cancellationToken) is { } status
            ? TypedResults.Ok(RebuildAnswer.From(status))
            : Http.Problems.Problem(
                StatusCodes.Status404NotFound,
                "Never rebuilt.",
                "rebuild-not-found",
                $"Projection '{name}' has not been rebuilt."
            );
    }

    private static async Task<IResult> ContentHashAsync(
        string name,
        BackgroundRebuilds rebuilds,
        EventStore.EventStore store,
        CancellationToken cancellationToken
    )
    {
        if (!ProjectionNames.IsValid(name))
            return ProjectionsApi.InvalidName();
        if (rebuilds.Find(name) is not { } projection)
            return ProjectionsApi.UnknownProjection(name);
        var hash = await ContentHashes.ComputeLiveAsync(store.DataSource, projection, cancellationToken);
        return TypedResults.Ok(ContentHashAnswer.From(hash));
    }
}
