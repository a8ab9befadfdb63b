using RelationshipLedger.Api.Http;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Security;
using RelationshipLedger.Application.StateHistory;
using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Api.Portfolio;

/// <summary>An account's owners, oldest first.</summary>
public sealed record OwnerHistoryAnswer(string CustomerId, IReadOnlyList<OwnerTenure> Owners);

/// <summary>
/// The whole portfolio as of any instant (role <c>reader</c>), from the temporal state history:
/// <c>GET /customers</c> filtered by tier, stage, owner and ABC class, an owner's accounts, and an account's owners.
/// </summary>
public static class PortfolioApi
{
    public static IEndpointRouteBuilder MapPortfolioApi(this IEndpointRouteBuilder endpoints)
    {
        var portfolio = endpoints.MapGroup("").RequireAuthorization(Roles.Reader).WithTags("Portfolio");
        // GET /customers (no id) is this list; POST /customers registers and /customers/{id} is one customer.
        portfolio
            .MapGet("/customers", GetPortfolioAsync)
            .WithSummary(
                "The accounts whose tier, stage, owner and ABC class (abc=A|B|C) match, as of asOf (default now) as known at knownAt "
                    + "(default: all that is known), in customer id order; "
                    + "next is the cursor of the following page (null on the last)."
            )
            .Produces<PortfolioPage>()
            .ProducesValidationProblem();
        portfolio
            .MapGet("/owners/{ownerId}/customers", GetOwnerPortfolioAsync)
            .WithSummary(
                "The accounts an owner held as of asOf (default now) as known at knownAt, in customer id order, paged."
            )
            .Produces<PortfolioPage>()
            .ProducesValidationProblem();
        portfolio
            .MapGet("/customers/{customerId}/owners", GetOwnersAsync)
            .WithSummary(
                "Who owned the account and when (from, to, reason), from its stream; asOf/knownAt/version travel."
            )
            .Produces<OwnerHistoryAnswer>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    private static Task<IResult> GetPortfolioAsync(
        HttpRequest request,
        PortfolioQueries queries,
        TimeProvider clock,
        CancellationToken cancellationToken
    ) => PageAsync(request, queries, clock, owner: null, cancellationToken);

    private static Task<IResult> GetOwnerPortfolioAsync(
        HttpRequest request,
        string ownerId,
        PortfolioQueries queries,
        TimeProvider clock,
        CancellationToken cancellationToken
    ) => PageAsync(request, queries, clock, ownerId, cancellationToken);

    private static async Task<IResult> PageAsync(
        HttpRequest request,
        PortfolioQueries queries,
        TimeProvider clock,
        string? owner,
        CancellationToken cancellationToken
    )
    {
        var errors = new List<FieldError>();
        if (owner is not null)
            owner = PortfolioQueryParser.Owner(owner, "ownerId", errors);
        var query = PortfolioQueryParser.Parse(request, clock.GetUtcNow(), errors, owner);
        if (query is null)
            return Problems.Invalid(errors);
        return TypedResults.Ok(await queries.GetPageAsync(query, cancellationToken));
    }

    private static async Task<IResult> GetOwnersAsync(
        HttpRequest request,
        string customerId,
        PortfolioQueries queries,
        CancellationToken cancellationToken
    )
    {
        if (!CustomerId.IsValid(customerId))
            return Problems.Invalid("customerId", $"is {CustomerId.Rule}.");
        var (travel, problem) = TimeTravelQuery.Parse(request);
        if (problem is not null)
            return problem;
        var owners = await queries.GetOwnersAsync(customerId, travel!, cancellationToken);
        return owners is null
            ? Problems.NotFound($"No customer '{customerId}' existed at the time asked about.")
            : TypedResults.Ok(new OwnerHistoryAnswer(customerId, owners));
    }
}
