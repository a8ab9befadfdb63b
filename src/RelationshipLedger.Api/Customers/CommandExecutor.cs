using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using RelationshipLedger.Api.Http;
using RelationshipLedger.Api.Security;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Idempotency;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Api.Customers;

/// <summary>The answer to an accepted command: the stream's new version and the events appended.</summary>
public sealed record CommandAccepted(string CustomerId, long Version, IReadOnlyList<Guid> EventIds);

/// <summary>
/// Runs one command request end to end: If-Match, body, Idempotency-Key, the handler, and the
/// mapping of its outcome to 201/200 with an ETag, or to a problem. Nothing is appended on any error.
/// </summary>
public sealed class CommandExecutor(
    CustomerCommandHandler handler,
    IdempotencyKeys idempotency,
    TimeProvider clock,
    IOptions<RequestLimits> limits
)
{
    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>The largest command body (<c>RequestLimits:MaxCommandBytes</c>).</summary>
    public int MaxCommandBytes { get; } = limits.Value.MaxCommandBytes;

    public async Task<IResult> ExecuteAsync<TRequest>(
        HttpContext http,
        string customerId,
        Func<TRequest, TRequest>? fromRoute = null,
        bool creates = false
    )
        where TRequest : class, ICommandRequest
    {
        ArgumentNullException.ThrowIfNull(http);
        var cancellationToken = http.RequestAborted;
        var (expectedVersion, preconditionProblem) = Preconditions.ExpectedVersion(http.Request);
        if (preconditionProblem is not null)
            return preconditionProblem;
        var body = await JsonBody.ReadAsync<TRequest>(http.Request, MaxCommandBytes, cancellationToken);
        if (body.Problem is not null)
            return body.Problem;
        if (!CustomerId.IsValid(customerId))
            return Problems.Invalid("customerId", $"is {CustomerId.Rule}.");
        var request = fromRoute is null ? body.Value! : fromRoute(body.Value!);
        var errors = new List<FieldError>();
        var command = request.ToCommand(clock.GetUtcNow(), errors);
        if (command is null)
            return Problems.Invalid(errors);

        var actor = Policies.ActorOf(http.User);
        var status = creates ? StatusCodes.Status201Created : StatusCodes.Status200OK;
        var key = http.Request.Headers[IdempotencyHeader].ToString();
        var requestHash = RequestHash(http.Request, customerId, body.Bytes);
        if (key.Length > 0 && (key.Length > IdempotencyKeys.MaxKeyLength || key.Any(char.IsControl)))
            return Problems.Invalid(IdempotencyHeader, $"has 1–{IdempotencyKeys.MaxKeyLength} printable characters.");

        var context = new CommandContext(actor)
        {
            CorrelationId = http.TraceIdentifier,
            Reason = request.Reason,
            ExpectedVersion = expectedVersion,
            Headers = key.Length > 0 ? IdempotencyKeys.Headers(actor, key, requestHash, status) : null,
        };
        CommandOutcome? outcome;
        try
        {
            outcome = await handler.HandleAsync(customerId, command, context, cancellationToken);
        }
        catch (Exception exception)
            when (exception is ConcurrencyConflictException || IdempotencyConflict.IsDuplicateKey(exception))
        {
            outcome = null;
        }
        if (
            outcome is not { IsAccepted: true }
            && key.Length > 0
            && await idempotency.FindAsync(actor, key, cancellationToken) is { } winner
        )
        {
            // A repeat is found by its append, not looked up before it (one round trip instead of two):
            // the first answer's record is inserted in the append's transaction, so a repeat — earlier
            // or concurrent — fails on the taken key, or on the order id used or the version moved on,
            // and appends nothing, erasures included (PersonalDataErasure): answer as the first did.
            return Replay(winner, requestHash, http);
        }
        return outcome is null
            ? Problems.Conflict(
                "concurrent-modification",
                "The customer's stream kept changing under this command; retry it."
            )
            : Answer(outcome, status, http);
    }

    private static IResult Answer(CommandOutcome outcome, int status, HttpContext http)
    {
        if (outcome.IsStale)
            return Problems.Stale(outcome.Version);
        if (outcome.Rejection is { } rejection)
            return Problems.Rejected(rejection);
        return Accepted(new CommandAccepted(outcome.CustomerId, outcome.Version, outcome.EventIds), status, http);
    }

    private static IResult Replay(IdempotencyRecord first, byte[] requestHash, HttpContext http)
    {
        if (!first.RequestHash.Span.SequenceEqual(requestHash))
            return Problems.IdempotencyKeyReused();
        http.Response.Headers["Idempotent-Replayed"] = "true";
        return Accepted(new CommandAccepted(first.CustomerId, first.Version, first.EventIds), first.Status, http);
    }

    private static IResult Accepted(CommandAccepted accepted, int status, HttpContext http)
    {
        http.Response.Headers.ETag = Preconditions.ETagOf(accepted.Version);
        return status == StatusCodes.Status201Created
            ? TypedResults.Created($"/customers/{accepted.CustomerId}", accepted)
            : TypedResults.Ok(accepted);
    }

    /// <summary>What makes two requests "the same": method, path (with the customer id) and body bytes.</summary>
    private static byte[] RequestHash(HttpRequest request, string customerId, byte[] body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}\n{customerId}\n"));
        hash.AppendData(body);
        return hash.GetHashAndReset();
    }
}
