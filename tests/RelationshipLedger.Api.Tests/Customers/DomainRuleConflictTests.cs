using System.Net;
using RelationshipLedger.Api.Tests.Support;

namespace RelationshipLedger.Api.Tests.Customers;

/// <summary>A command that breaks a rule of shared/domain.md §3 is a 409 problem with the rule's code, and appends nothing.</summary>
public sealed class DomainRuleConflictTests(LedgerApiFixture api) : IClassFixture<LedgerApiFixture>
{
    [Theory]
    [InlineData("duplicate-order")]
    [InlineData("refund-exceeds-order")]
    [InlineData("unknown-order")]
    [InlineData("tier-unchanged")]
    [InlineData("relationship-ended")]
    [InlineData("already-registered")]
    [InlineData("relationship-not-ended")]
    [InlineData("duplicate-survey")]
    [InlineData("duplicate-complaint")]
    [InlineData("complaint-not-open")]
    [InlineData("currency-mismatch")]
    [InlineData("already-owner")]
    [InlineData("before-registration")]
    public async Task A_command_that_breaks_a_rule_is_a_409_with_its_code_and_appends_nothing(string rule)
    {
        var id = LedgerHttp.NewCustomerId(rule);
        await api.Bootstrap.RegisterAsync(id, DateTimeOffset.UtcNow.AddDays(-10), ownerId: "alice");
        var (path, body) = await BreakAsync(rule, id);
        var before = await api.MarkAsync(id);

        var response = await api.Recorder.PostJsonAsync(path, body);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict, rule);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        await api.AssertNothingAppendedAsync(id, before);
    }

    [Fact]
    public async Task A_refund_of_exactly_what_is_left_of_an_order_is_accepted_and_one_cent_more_is_not()
    {
        var id = LedgerHttp.NewCustomerId("refund-rest");
        await api.Bootstrap.RegisterAsync(id);
        await api.Bootstrap.CommandAsync($"/customers/{id}/purchases", Purchase("o-1", 100m));
        await api.Recorder.CommandAsync(
            $"/customers/{id}/purchases/o-1/refunds",
            new { amount = 60m, reason = "Part" }
        );
        var before = await api.MarkAsync(id);

        var tooMuch = await api.Recorder.PostJsonAsync(
            $"/customers/{id}/purchases/o-1/refunds",
            new { amount = 40.01m, reason = "Rest" }
        );
        await ProblemAssert.IsProblemAsync(tooMuch, HttpStatusCode.Conflict, "refund-exceeds-order");
        await api.AssertNothingAppendedAsync(id, before);

        var rest = await api.Recorder.PostJsonAsync(
            $"/customers/{id}/purchases/o-1/refunds",
            new { amount = 40m, reason = "Rest" }
        );
        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
    }

    /// <summary>Brings the stream to where <paramref name="rule"/> refuses the next command, and returns that command.</summary>
    private async Task<(string Path, object Body)> BreakAsync(string rule, string id)
    {
        var customer = $"/customers/{id}";
        switch (rule)
        {
            case "duplicate-order":
                await api.Bootstrap.CommandAsync($"{customer}/purchases", Purchase("o-1", 100m));
                return ($"{customer}/purchases", Purchase("o-1", 100m));
            case "refund-exceeds-order":
                await api.Bootstrap.CommandAsync($"{customer}/purchases", Purchase("o-1", 100m));
                return ($"{customer}/purchases/o-1/refunds", new { amount = 150m, reason = "Too much" });
            case "unknown-order":
                return ($"{customer}/purchases/o-404/refunds", new { amount = 10m, reason = "Which order?" });
            case "tier-unchanged":
                return (
                    $"{customer}/tier",
                    new
                    {
                        to = "Transactional",
                        reason = "No change",
                        approvedBy = "ceo",
                    }
                );
            case "relationship-ended":
                await api.Bootstrap.CommandAsync($"{customer}/end", new { cause = "Competitor" });
                return ($"{customer}/purchases", Purchase("o-1", 100m));
            case "already-registered":
                return (
                    "/customers",
                    new
                    {
                        customerId = id,
                        name = "Someone else",
                        kind = "Individual",
                    }
                );
            case "relationship-not-ended":
                return ($"{customer}/reactivate", new { reason = "Never ended" });
            case "duplicate-survey":
                await api.Bootstrap.CommandAsync($"{customer}/surveys", new { surveyId = "s-1", rating = 5 });
                return ($"{customer}/surveys", new { surveyId = "s-1", rating = 3 });
            case "duplicate-complaint":
                await api.Bootstrap.CommandAsync($"{customer}/complaints", Complaint("c-1"));
                return ($"{customer}/complaints", Complaint("c-1"));
            case "complaint-not-open":
                await api.Bootstrap.CommandAsync($"{customer}/complaints", Complaint("c-1"));
                await api.Bootstrap.CommandAsync(
                    $"{customer}/complaints/c-1/resolution",
                    new { resolution = "Replaced", customerAccepted = true }
                );
                return (
                    $"{customer}/complaints/c-1/resolution",
                    new { resolution = "Again", customerAccepted = false }
                );
            case "currency-mismatch":
                await api.Bootstrap.CommandAsync($"{customer}/purchases", Purchase("o-1", 100m));
                return (
                    $"{customer}/purchases",
                    new
                    {
                        orderId = "o-2",
                        amount = 100m,
                        currency = "USD",
                    }
                );
            case "already-owner":
                return ($"{customer}/owner", new { ownerId = "alice", reason = "Again" });
            case "before-registration":
                return (
                    $"{customer}/surveys",
                    new
                    {
                        surveyId = "s-1",
                        rating = 5,
                        occurredAt = DateTimeOffset.UtcNow.AddDays(-11),
                    }
                );
            default:
                throw new ArgumentOutOfRangeException(nameof(rule), rule, "Not a rule of the ledger.");
        }
    }

    private static object Purchase(string orderId, decimal amount) =>
        new
        {
            orderId,
            amount,
            currency = "EUR",
        };

    private static object Complaint(string complaintId) =>
        new
        {
            complaintId,
            category = "Product",
            severity = "Low",
            description = "Scratched",
        };
}
