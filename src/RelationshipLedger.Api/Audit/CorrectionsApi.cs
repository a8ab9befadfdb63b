using RelationshipLedger.Api.Http;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Security;
using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Api.Audit;

/// <summary>
/// <c>GET /customers/{id}/corrections?asOf=T&amp;from=K1&amp;to=K2</c> (role <c>auditor</c>): each projected field whose
/// value about T differs between knowledge K1 and K2, with the events that made the difference.
/// </summary>
public static class CorrectionsApi
{
    public static IEndpointRouteBuilder MapCorrectionsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints
            .MapGet("/customers/{customerId}/corrections", GetCorrectionsAsync)
            .RequireAuthorization(Roles.Auditor)
            .WithTags("Audit")
            .WithSummary(
                "What changed about asOf between knowing what was recorded by from and by to (default now): fields and causing events."
            )
            .Produces<CustomerCorrections>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    private static async Task<IResult> GetCorrectionsAsync(
        HttpContext http,
        string customerId,
        CorrectionReport report,
        TimeProvider clock
    )
    {
        if (!CustomerId.IsValid(customerId))
            return Problems.Invalid("customerId", $"is {CustomerId.Rule}.");
        var errors = new List<FieldError>();
        var asOf = Required(http.Request, "asOf", errors);
        var from = Required(http.Request, "from", errors);
        var to = TimeTravelQuery.Instant(http.Request, "to", errors) ?? clock.GetUtcNow();
        if (errors.Count == 0 && from >= to)
            errors.Add(new FieldError("to", "must be after from."));
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        var corrections = await report.ReportAsync(customerId, asOf!.Value, from!.Value, to, http.RequestAborted);
        return corrections is null ? Problems.NotFound($"No customer '{customerId}'.") : TypedResults.Ok(corrections);
    }

    private static DateTimeOffset? Required(HttpRequest request, string name, List<FieldError> errors)
    {
        var instant = TimeTravelQuery.Instant(request, name, errors);
        if (instant is null && request.Query[name].ToString().Length == 0)
            errors.Add(new FieldError(name, "is required."));
        return instant;
    }
}
