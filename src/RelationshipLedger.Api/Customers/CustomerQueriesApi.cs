using RelationshipLedger.Api.Http;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Overview;
using RelationshipLedger.Application.SatisfactionHistory;
using RelationshipLedger.Application.Security;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Api.Customers;

public sealed record SatisfactionAnswer(
    IReadOnlyList<SatisfactionPoint> Points,
    decimal? Csat,
    decimal? Nps,
    decimal? CsatAllTime,
    decimal? NpsAllTime,
    SatisfactionTrend Trend,
    int OpenComplaints,
    double? MeanDaysToResolve,
    TimeSpan? MeanTimeToResolve
);

/// <summary>One customer's projected state (role <c>reader</c>), now or time-travelled by version, asOf and knownAt.</summary>
public static class CustomerQueriesApi
{
    public static IEndpointRouteBuilder MapCustomerQueriesApi(this IEndpointRouteBuilder endpoints)
    {
        var customers = endpoints
            .MapGroup("/customers/{customerId}")
            .RequireAuthorization(Roles.Reader)
            .WithTags("Queries");
        customers
            .MapGet("/", GetOverviewAsync)
            .WithSummary("The overview: tier, engagement, lifecycle stage, satisfaction, owner, care tier, churn risk.")
            .Produces<CustomerOverview>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        customers
            .MapGet("/tiers", GetTiersAsync)
            .WithSummary("Tier history with the days spent at each tier.")
            .Produces<IReadOnlyList<TierPeriod>>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        customers
            .MapGet("/stages", GetStagesAsync)
            .WithSummary(
                "Lifecycle stage history with the event that caused each transition (none when only time passed)."
            )
            .Produces<IReadOnlyList<StageTransition>>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        customers
            .MapGet("/satisfaction", GetSatisfactionAsync)
            .WithSummary("Every survey, complaint and resolution, with CSAT, NPS, trend and mean time to resolve.")
            .Produces<SatisfactionAnswer>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    private static Task<IResult> GetOverviewAsync(HttpContext http, string customerId, CustomerQueries queries) =>
        AnswerAsync(
            http,
            customerId,
            travel => queries.GetOverviewAsync(customerId, travel, http.RequestAborted),
            o => o.Version
        );

    private static Task<IResult> GetTiersAsync(HttpContext http, string customerId, CustomerQueries queries) =>
        AnswerAsync(http, customerId, travel => queries.GetTierHistoryAsync(customerId, travel, http.RequestAborted));

    private static Task<IResult> GetStagesAsync(HttpContext http, string customerId, CustomerQueries queries) =>
        AnswerAsync(http, customerId, travel => queries.GetStageHistoryAsync(customerId, travel, http.RequestAborted));

    private static Task<IResult> GetSatisfactionAsync(
        HttpContext http,
        string customerId,
        SatisfactionHistoryQueries queries
    ) =>
        AnswerAsync(
            http,
            customerId,
            async travel =>
                await queries.GetAsync(customerId, travel, http.RequestAborted) is { } history
                    ? new SatisfactionAnswer(
                        history.Points,
                        history.Summary.Csat,
                        history.Summary.Nps,
                        history.Summary.CsatAllTime,
                        history.Summary.NpsAllTime,
                        history.Summary.Trend,
                        history.Summary.OpenComplaints,
                        history.Summary.MeanTimeToResolve is { } mean ? Math.Round(mean.TotalDays, 2) : null,
                        history.Summary.MeanTimeToResolve
                    )
                    : null
        );

    private static async Task<IResult> AnswerAsync<T>(
        HttpContext http,
        string customerId,
        Func<TimeTravel, Task<T?>> query,
        Func<T, long>? version = null
    )
        where T : class
    {
        if (!CustomerId.IsValid(customerId))
            return Problems.Invalid("customerId", $"is {CustomerId.Rule}.");
        var (travel, problem) = TimeTravelQuery.Parse(http.Request);
        if (problem is not null)
            return problem;
        var answer = await query(travel!);
        if (answer is null)
            return Problems.NotFound($"No customer '{customerId}' existed at the time asked about.");
        if (version is not null)
            http.Response.Headers.ETag = Preconditions.ETagOf(version(answer));
        return TypedResults.Ok(answer);
    }
}
