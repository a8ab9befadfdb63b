using RelationshipLedger.Api.Http;
using RelationshipLedger.Application.Security;

namespace RelationshipLedger.Api.Customers;

/// <summary>The commands of shared/api.md (role <c>recorder</c>): each appends to one customer's stream.</summary>
public static class CustomerCommandsApi
{
    public static IEndpointRouteBuilder MapCustomerCommandsApi(this IEndpointRouteBuilder endpoints)
    {
        var customers = endpoints.MapGroup("/customers").RequireAuthorization(Roles.Recorder).WithTags("Commands");

        customers
            .MapPost("/", (HttpContext http, CommandExecutor executor) => RegisterAsync(http, executor))
            .WithSummary("Registers a customer: its stream starts here.")
            .Accepts<RegisterCustomerRequest>("application/json")
            .Produces<CommandAccepted>(StatusCodes.Status201Created);

        Map<UpdateProfileRequest>(customers, "/{customerId}/profile", "Records changed profile fields.");
        Map<AssignOwnerRequest>(customers, "/{customerId}/owner", "Hands the account over to another owner.");
        Map<RecordContactRequest>(customers, "/{customerId}/contacts", "Records a contact with the customer.");
        Map<RecordPurchaseRequest>(customers, "/{customerId}/purchases", "Records a purchase (an order).");
        customers
            .MapPost(
                "/{customerId}/purchases/{orderId}/refunds",
                (HttpContext http, string customerId, string orderId, CommandExecutor executor) =>
                    executor.ExecuteAsync<RefundPurchaseRequest>(http, customerId, r => r with { OrderId = orderId })
            )
            .WithSummary("Refunds part or all of an order.")
            .WithCommandMetadata<RefundPurchaseRequest>();
        Map<FileComplaintRequest>(customers, "/{customerId}/complaints", "Files a complaint.");
        customers
            .MapPost(
                "/{customerId}/complaints/{complaintId}/resolution",
                (HttpContext http, string customerId, string complaintId, CommandExecutor executor) =>
                    executor.ExecuteAsync<ResolveComplaintRequest>(
                        http,
                        customerId,
                        r => r with { ComplaintId = complaintId }
                    )
            )
            .WithSummary("Resolves an open complaint.")
            .WithCommandMetadata<ResolveComplaintRequest>();
        Map<RecordSurveyRequest>(customers, "/{customerId}/surveys", "Records a satisfaction survey.");
        Map<ChangeTierRequest>(
            customers,
            "/{customerId}/tier",
            "Changes the relationship tier (from is the current tier)."
        );
        Map<AssignCareTierRequest>(customers, "/{customerId}/care-tier", "Assigns a care tier and its annual budget.");
        Map<EndRelationshipRequest>(customers, "/{customerId}/end", "Ends the relationship.");
        Map<ReactivateRequest>(customers, "/{customerId}/reactivate", "Reactivates an ended relationship.");
        return endpoints;
    }

    private static async Task<IResult> RegisterAsync(HttpContext http, CommandExecutor executor)
    {
        // The id is in the body; peek at it without consuming the stream the executor reads.
        http.Request.EnableBuffering();
        var body = await JsonBody.ReadAsync<RegisterCustomerRequest>(
            http.Request,
            executor.MaxCommandBytes,
            http.RequestAborted
        );
        http.Request.Body.Position = 0;
        if (body.Problem is not null)
            return body.Problem;
        if (body.Value!.CustomerId is null)
            return Problems.Invalid("customerId", "is required.");
        return await executor.ExecuteAsync<RegisterCustomerRequest>(http, body.Value.CustomerId, creates: true);
    }

    private static void Map<TRequest>(RouteGroupBuilder group, string pattern, string summary)
        where TRequest : class, ICommandRequest =>
        group
            .MapPost(
                pattern,
                (HttpContext http, string customerId, CommandExecutor executor) =>
                    executor.ExecuteAsync<TRequest>(http, customerId)
            )
            .WithSummary(summary)
            .WithCommandMetadata<TRequest>();

    private static RouteHandlerBuilder WithCommandMetadata<TRequest>(this RouteHandlerBuilder builder)
        where TRequest : class =>
        builder
            .Accepts<TRequest>("application/json")
            .Produces<CommandAccepted>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
}
