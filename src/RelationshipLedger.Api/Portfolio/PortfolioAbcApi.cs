using System.Globalization;
using Npgsql;
using RelationshipLedger.Api.Http;
using RelationshipLedger.Application.Abc;
using RelationshipLedger.Application.Security;
using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Api.Portfolio;

/// <summary>
/// The ABC portfolio (domain.md §2.5, role <c>reader</c>): the customer pyramid as of any instant,
/// from the <c>abc_revenue</c> read model — docs/abc.md.
/// </summary>
public static class PortfolioAbcApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapPortfolioAbcApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints
            .MapGet("/portfolio/abc", GetAsync)
            .RequireAuthorization(Roles.Reader)
            .WithTags("Portfolio")
            .WithSummary(
                "The ABC classes as of asOf (default now), as known at knownAt (default now): counts and revenue shares of A, B and C per currency, "
                    + "and the customers of one class (or all) in rank order, paged with next as the cursor."
            )
            .Produces<AbcPortfolio>()
            .ProducesValidationProblem();
        return endpoints;
    }

    private static async Task<IResult> GetAsync(
        HttpRequest request,
        AbcPortfolioQueries queries,
        TimeProvider clock,
        CancellationToken cancellationToken
    )
    {
        var errors = new List<FieldError>();
        var asOf = TimeTravelQuery.Instant(request, "asOf", errors) ?? clock.GetUtcNow();
        var knownAt = TimeTravelQuery.Instant(request, "knownAt", errors);
        var abcClass = Class(request, errors);
        var limit = Limit(request, errors);
        var after = Cursor(request, errors);
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        var portfolio = await queries.GetAsync(asOf, knownAt, abcClass, limit, after, cancellationToken);
        return TypedResults.Ok(portfolio);
    }

    private static AbcClass? Class(HttpRequest request, List<FieldError> errors)
    {
        var text = request.Query["class"].ToString();
        if (text.Length == 0)
            return null;
        if (text is "A" or "B" or "C")
            return Enum.Parse<AbcClass>(text);
        errors.Add(new FieldError("class", "must be A, B or C."));
        return null;
    }

    private static int Limit(HttpRequest request, List<FieldError> errors)
    {
        var text = request.Query["limit"].ToString();
        if (text.Length == 0)
            return DefaultLimit;
        if (
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit)
            && limit is >= 1 and <= MaxLimit
        )
            return limit;
        errors.Add(new FieldError("limit", $"must be a whole number from 1 to {MaxLimit}."));
        return DefaultLimit;
    }

    private static AbcCursor? Cursor(HttpRequest request, List<FieldError> errors)
    {
        var text = request.Query["cursor"].ToString();
        if (text.Length == 0)
            return null;
        if (AbcCursor.TryParse(text, out var cursor))
            return cursor;
        errors.Add(new FieldError("cursor", "must be a next cursor as an earlier page of this route gave it."));
        return null;
    }
}
