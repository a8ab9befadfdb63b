using System.Globalization;
using RelationshipLedger.Api.Http;
using RelationshipLedger.Application.ChurnWatch;
using RelationshipLedger.Application.Security;
using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Api;

/// <summary>The churn watch list (role <c>reader</c>): customers whose churn episode stands, newest flag first.</summary>
public static class ChurnWatchApi
{
    public static IEndpointRouteBuilder MapChurnWatchApi(this IEndpointRouteBuilder endpoints)
    {
        var watchlist = endpoints.MapGroup("/watchlist").RequireAuthorization(Roles.Reader).WithTags("Watch lists");
        watchlist
            .MapGet("/churn", ListAsync)
            .WithSummary(
                "Customers flagged at risk of churning whose episode still stands, newest flag first: the signals, "
                    + "when flagged, and the last contact since. nextCursor continues the list; null at its end."
            )
            .Produces<WatchListPage>()
            .ProducesValidationProblem();
        return endpoints;
    }

    private static async Task<IResult> ListAsync(HttpRequest request, ChurnWatchQueries queries)
    {
        var errors = new List<FieldError>();
        var limit = Limit(request.Query["limit"].ToString(), errors);
        var cursor = Cursor(request.Query["cursor"].ToString(), errors);
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        return TypedResults.Ok(await queries.ListAsync(limit, cursor, request.HttpContext.RequestAborted));
    }

    private static int Limit(string text, List<FieldError> errors)
    {
        if (text.Length == 0)
            return ChurnWatchQueries.DefaultLimit;
        if (
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit)
            && limit is >= 1 and <= ChurnWatchQueries.MaxLimit
        )
            return limit;
        errors.Add(new FieldError("limit", $"must be a whole number from 1 to {ChurnWatchQueries.MaxLimit}."));
        return ChurnWatchQueries.DefaultLimit;
    }

    private static WatchListCursor? Cursor(string text, List<FieldError> errors)
    {
        if (text.Length == 0)
            return null;
        if (WatchListCursor.TryParse(text, out var cursor))
            return cursor;
        errors.Add(new FieldError("cursor", WatchListCursor.Rule));
        return null;
    }
}
