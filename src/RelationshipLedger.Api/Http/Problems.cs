using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Api.Http;

/// <summary>Every error the API answers, as application/problem+json with a stable <c>code</c>.</summary>
public static class Problems
{
    public static IResult Invalid(string field, string message) => Invalid([new FieldError(field, message)]);

    public static IResult Invalid(IReadOnlyList<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var byField = errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
        return TypedResults.ValidationProblem(
            byField,
            detail: string.Join(" ", errors.Select(e => $"{e.Field} {e.Message}")),
            title: "The request has invalid fields.",
            extensions: new Dictionary<string, object?> { ["code"] = "invalid-input" }
        );
    }

    public static IResult NotFound(string detail) =>
        Problem(StatusCodes.Status404NotFound, "Unknown customer.", "customer-not-found", detail);

    public static IResult Rejected(Rejection rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        return rejection.Kind switch
        {
            RejectionKind.Invalid => Invalid(rejection.Errors),
            RejectionKind.NotFound => Problem(
                StatusCodes.Status404NotFound,
                "Unknown customer.",
                rejection.Code,
                rejection.Message
            ),
            _ => Problem(
                StatusCodes.Status409Conflict,
                "A rule of the ledger refused the command.",
                rejection.Code,
                rejection.Message
            ),
        };
    }

    public static IResult Stale(long currentVersion) =>
        Problem(
            StatusCodes.Status412PreconditionFailed,
            "The stream has moved on.",
            "stale-version",
            $"If-Match did not hold: the customer's stream is at version {currentVersion}. Read it again and retry.",
            new() { ["currentVersion"] = currentVersion }
        );

    public static IResult Conflict(string code, string detail) =>
        Problem(StatusCodes.Status409Conflict, "Conflict.", code, detail);

    public static IResult IdempotencyKeyReused() =>
        Problem(
            StatusCodes.Status422UnprocessableEntity,
            "The Idempotency-Key was already used for another request.",
            "idempotency-key-reused",
            "A repeat must send exactly the same request; use a new key for a new request."
        );

    public static IResult TooLarge(long limit) =>
        Problem(
            StatusCodes.Status413PayloadTooLarge,
            "The request body is too large.",
            "too-large",
            $"At most {limit} bytes are accepted."
        );

    public static IResult UnsupportedMediaType(string detail) =>
        Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.", "unsupported-media-type", detail);

    /// <summary>The code of a problem the framework wrote without one, from its status.</summary>
    public static string CodeFor(int status) =>
        status switch
        {
            StatusCodes.Status400BadRequest => "bad-request",
            StatusCodes.Status401Unauthorized => "unauthenticated",
            StatusCodes.Status403Forbidden => "forbidden",
            StatusCodes.Status404NotFound => "not-found",
            StatusCodes.Status405MethodNotAllowed => "method-not-allowed",
            StatusCodes.Status413PayloadTooLarge => "too-large",
            StatusCodes.Status415UnsupportedMediaType => "unsupported-media-type",
            StatusCodes.Status429TooManyRequests => "rate-limited",
            _ => $"http-{status.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
        };

    public static IResult Problem(
        int status,
        string title,
        string code,
        string detail,
        Dictionary<string, object?>? extensions = null
    )
    {
        extensions ??= [];
        extensions["code"] = code;
        return TypedResults.Problem(detail, statusCode: status, title: title, extensions: extensions);
    }
}
