using RelationshipLedger.Api.Http;
using RelationshipLedger.Application.Security;
using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Api.Customers;

/// <summary>
/// <c>{ "reason": "…" }</c>: why the customer's personal data is erased. An erasure happens when it is
/// recorded; it cannot be dated in the past.
/// </summary>
public sealed record ErasePersonalDataRequest(string? Reason) : ICommandRequest
{
    public DateTimeOffset? OccurredAt => null;

    public CustomerCommand? ToCommand(DateTimeOffset issuedAt, List<FieldError> errors)
    {
        var reason = Required.Text(Reason, "reason", errors);
        return errors.Count > 0 ? null : new CustomerCommand.ErasePersonalData(reason) { IssuedAt = issuedAt };
    }
}

/// <summary>
/// <c>POST /customers/{id}/erase</c> (role <c>admin</c>): crypto-shredding of the customer's personal
/// data (docs/erasure.md) — its key is destroyed and <c>PersonalDataErased</c> recorded, through the same
/// path as every command (Idempotency-Key, If-Match, problems).
/// </summary>
public static class ErasureApi
{
    public static IEndpointRouteBuilder MapErasureApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints
            .MapPost(
                "/customers/{customerId}/erase",
                (HttpContext http, string customerId, CommandExecutor executor) =>
                    executor.ExecuteAsync<ErasePersonalDataRequest>(http, customerId)
            )
            .RequireAuthorization(Roles.Admin)
            .WithTags("Commands")
            .WithSummary(
                "Erases the customer's personal data: its key is destroyed, so names, contact details and free texts read as erased everywhere; business facts and every chain remain."
            )
            .Accepts<ErasePersonalDataRequest>("application/json")
            .Produces<CommandAccepted>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return endpoints;
    }
}
