using RelationshipLedger.Application;
using RelationshipLedger.Application.ChurnWatch;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Customers.Caching;
using RelationshipLedger.Cli.Tests.Support;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using static RelationshipLedger.Domain.Customers.CustomerCommand;

namespace RelationshipLedger.Cli.Tests.Commands;

/// <summary><c>ledger churn-watch</c>: one run of the job, printing what it flagged; once per episode; the lock across processes.</summary>
public sealed class ChurnWatchCommandTests : IAsyncLifetime
{
    private const string Unhappy = "cli-unhappy";
    private readonly CliLedger _ledger = new();

    public async Task InitializeAsync()
    {
        await _ledger.InitializeAsync();
        // Surveys rated 2 and 1: the mean of the last two is 1.5 ≤ 2, LowSatisfaction.
        var cache = new CustomerStateCache();
        var store = LedgerServices.CreateStore(_ledger.Database.DataSource, LifecycleRules.Default, cache);
        var handler = new CustomerCommandHandler(store, new CustomerStateLoader(store, cache));
        var now = DateTimeOffset.UtcNow;
        var context = new CommandContext("cli-test");
        await handler.HandleAsync(
            Unhappy,
            new RegisterCustomer("Harbour Logistics", CustomerKind.Organization)
            {
                IssuedAt = now,
                OccurredAt = now.AddDays(-50),
            },
            context
        );
        await handler.HandleAsync(
            Unhappy,
            new RecordSurvey("s-1", 2) { IssuedAt = now, OccurredAt = now.AddDays(-40) },
            context
        );
        await handler.HandleAsync(
            Unhappy,
            new RecordSurvey("s-2", 1) { IssuedAt = now, OccurredAt = now.AddDays(-30) },
            context
        );
    }

    public Task DisposeAsync() => _ledger.DisposeAsync();

    [Fact]
    public async Task The_command_flags_the_customer_once_and_prints_what_it_flagged()
    {
        var first = await _ledger.RunAsync("churn-watch");
        var second = await _ledger.RunAsync("churn-watch");

        first.AssertExitCode(ExitCodes.Success).AssertOutputContains(Unhappy).AssertOutputContains("LowSatisfaction");
        first.AssertOutputContains("Flagged 1 customer(s)");
        second.AssertExitCode(ExitCodes.Success).AssertOutputContains("Flagged 0 customer(s)");
        second.AssertOutputContains("1 already flagged");
        var flags = (await _ledger.ReadStreamAsync(Unhappy)).Where(e => e.Type == "ChurnRiskFlagged").ToList();
        Assert.Single(flags);
    }

    [Fact]
    public async Task While_another_process_holds_the_lock_the_command_does_nothing_and_says_so()
    {
        await using var held = await ChurnWatchLock.TryTakeAsync(_ledger.Database.DataSource, CancellationToken.None);
        Assert.NotNull(held);
        var before = await _ledger.CountEventsAsync();

        var result = await _ledger.RunAsync("churn-watch");

        result
            .AssertExitCode(ExitCodes.Failure)
            .AssertErrorsContain("holds the churn watch's lock")
            .AssertNoStackTrace();
        Assert.Equal(before, await _ledger.CountEventsAsync());
    }

    [Fact]
    public async Task An_instant_in_the_future_is_a_usage_error_and_appends_nothing()
    {
        var before = await _ledger.CountEventsAsync();

        var result = await _ledger.RunAsync("churn-watch", "--as-of", DateTimeOffset.UtcNow.AddDays(1).ToString("O"));

        result
            .AssertExitCode(ExitCodes.Usage)
            .AssertErrorsContain("--as-of cannot be in the future")
            .AssertNoStackTrace();
        Assert.Equal(before, await _ledger.CountEventsAsync());
    }
}
