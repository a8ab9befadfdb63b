using RelationshipLedger.Api.Http;
using RelationshipLedger.Application.Security;
using RelationshipLedger.EventStore.Daemon;
using RelationshipLedger.EventStore.Projections;

namespace RelationshipLedger.Api.Operations;

/// <summary>A dead letter as operators see it.</summary>
public sealed record DeadLetterAnswer(
    long Id,
    string Position,
    Guid EventId,
    string StreamId,
    long Version,
    string Type,
    string Error,
    int Attempts,
    DateTimeOffset RecordedAt,
    DateTimeOffset? ResolvedAt,
    string? Resolution
)
{
    public static DeadLetterAnswer From(DeadLetter letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        return new(
            letter.Id,
            letter.Position.ToString(),
            letter.EventId,
            letter.StreamId,
            letter.Version,
            letter.Type,
            letter.Error,
            letter.Attempts,
            letter.RecordedAt,
            letter.ResolvedAt,
            letter.Resolution
        );
    }
}

/// <summary>
/// A projection: its checkpoint (<c>TX-SEQ</c>), its lag to the head of the log, its state and last
/// error, the node that runs it (null: none does), and the dead letter it is paused at.
/// </summary>
public sealed record ProjectionAnswer(
    string Name,
    ProjectionState State,
    string Position,
    long LagEvents,
    double LagSeconds,
    string? LastError,
    string? Holder,
    long EventsApplied,
    DateTimeOffset UpdatedAt,
    DeadLetterAnswer? DeadLetter
)
{
    public static ProjectionAnswer From(ProjectionStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new(
            status.Name,
            status.State,
            status.Position.ToString(),
            status.LagEvents,
            status.LagSeconds,
            status.LastError,
            status.Holder,
            status.EventsApplied,
            status.UpdatedAt,
            status.DeadLetter is { } letter ? DeadLetterAnswer.From(letter) : null
        );
    }
}

/// <summary><c>GET /admin/projections</c>: this process's daemon node (null when it runs none) and every projection.</summary>
public sealed record ProjectionsAnswer(string? Node, IReadOnlyList<ProjectionAnswer> Projections);

/// <summary>The projection daemon's state and controls (role <c>admin</c>).</summary>
public static class ProjectionsApi
{
    public static IEndpointRouteBuilder MapProjectionsApi(this IEndpointRouteBuilder endpoints)
    {
        var projections = endpoints
            .MapGroup("/admin/projections")
            .RequireAuthorization(Roles.Admin)
            .WithTags("Operations");
        projections
            .MapGet("/", ListAsync)
            .WithName("ListProjections")
            .WithSummary(
                "Every asynchronous projection: position, lag in events and seconds, state, last error, holder."
            )
            .Produces<ProjectionsAnswer>();
        projections
            .MapGet("/{name}/dead-letters", DeadLettersAsync)
            .WithName("ListDeadLetters")
            .WithSummary("The events a projection gave up on, newest first.")
            .Produces<IReadOnlyList<DeadLetterAnswer>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        projections
            .MapPost("/{name}/resume", ResumeAsync)
            .WithName("ResumeProjection")
            .WithSummary(
                "Lets a projection paused at a dead letter run again: it retries the event, or with skip=true moves past it."
            )
            .Produces<ProjectionAnswer>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        endpoints.MapProjectionRebuilds(projections);
        return endpoints;
    }

    private static async Task<IResult> ListAsync(
        ProjectionOperations operations,
        ProjectionDaemon daemon,
        CancellationToken cancellationToken
    )
    {
        var statuses = await operations.ListAsync(cancellationToken);
        return TypedResults.Ok(
            new ProjectionsAnswer(
                daemon.IsRunning ? daemon.NodeName : null,
                [.. statuses.Select(ProjectionAnswer.From)]
            )
        );
    }

    private static async Task<IResult> DeadLettersAsync(
        string name,
        ProjectionOperations operations,
        CancellationToken cancellationToken
    )
    {
        if (!ProjectionNames.IsValid(name))
            return InvalidName();
        if (await operations.GetAsync(name, cancellationToken) is null)
            return UnknownProjection(name);
        var letters = await operations.DeadLettersAsync(name, cancellationToken: cancellationToken);
        return TypedResults.Ok(letters.Select(DeadLetterAnswer.From).ToArray());
    }

    private static async Task<IResult> ResumeAsync(
        string name,
        bool? skip,
        ProjectionOperations operations,
        CancellationToken cancellationToken
    )
    {
        if (!ProjectionNames.IsValid(name))
            return InvalidName();
        return await operations.ResumeAsync(name, skip ?? false, cancellationToken) switch
        {
            ResumeOutcome.UnknownProjection => UnknownProjection(name),
            ResumeOutcome.NotPaused => Problems.Problem(
                StatusCodes.Status409Conflict,
                "The projection is not paused.",
                "projection-not-paused",
                $"Projection '{name}' is not paused at a dead letter; there is nothing to resume."
            ),
            _ => TypedResults.Ok(ProjectionAnswer.From((await operations.GetAsync(name, cancellationToken))!)),
        };
    }

    internal static IResult InvalidName() =>
        Problems.Invalid("name", $"is 1–{ProjectionNames.MaxLength} characters of [a-z0-9_].");

    internal static IResult UnknownProjection(string name) =>
        Problems.Problem(
            StatusCodes.Status404NotFound,
            "Unknown projection.",
            "projection-not-found",
            $"There is no projection '{name}'."
        );
}
