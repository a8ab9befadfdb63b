using RelationshipLedger.Application.Abc;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.StateHistory;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Testing;
using static RelationshipLedger.Domain.Customers.CustomerCommand;

namespace RelationshipLedger.Application.Tests.StateHistory;

/// <summary>
/// The portfolio's <c>abc</c> filter, worked out by hand (domain.md §2.5): four customers registered on
/// 2024-01-01; on 2024-06-01 "big" buys 100, "mid" 10 and "small" 1 EUR; "none" buys nothing. As of
/// 2024-12-01 the total is 111: big has nothing above it (A), mid has 100/111 = 90 % above it (B), small
/// has 110/111 = 99 % above it (C), none has no revenue (C). Before the purchases, and once they have left
/// the 365-day window, everyone is C.
/// </summary>
public sealed class PortfolioAbcFilterTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Issued = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private Ledger _ledger = null!;
    private RunningDaemon _daemon = null!;

    public async Task InitializeAsync()
    {
        _ledger = await Ledger.CreateAsync();
        _daemon = RunningDaemon.Start(_ledger.Store, LedgerServices.CreateAsyncProjections(_ledger.Store.Serializer));
        foreach (var customer in new[] { "big", "mid", "small", "none" })
            await RunAsync(
                customer,
                At(2024, 1, 1),
                new RegisterCustomer(customer, CustomerKind.Organization) { IssuedAt = Issued }
            );
        await RunAsync("big", At(2024, 6, 1), new RecordPurchase("o-big", 100m, "EUR") { IssuedAt = Issued });
        await RunAsync("mid", At(2024, 6, 1), new RecordPurchase("o-mid", 10m, "EUR") { IssuedAt = Issued });
        await RunAsync("small", At(2024, 6, 1), new RecordPurchase("o-small", 1m, "EUR") { IssuedAt = Issued });
        await RunningDaemon.CaughtUpAsync(_ledger.Database.DataSource, StateHistoryProjection.ProjectionName);
        await RunningDaemon.CaughtUpAsync(_ledger.Database.DataSource, AbcRevenueProjection.ProjectionName);
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        await _ledger.DisposeAsync();
    }

    [Fact]
    public async Task Each_class_lists_exactly_the_customers_ranked_into_it_as_of_the_instant()
    {
        var asOf = At(2024, 12, 1);

        Assert.Equal(["big"], await IdsAsync(asOf, AbcClass.A));
        Assert.Equal(["mid"], await IdsAsync(asOf, AbcClass.B));
        Assert.Equal(["none", "small"], await IdsAsync(asOf, AbcClass.C));
    }

    [Fact]
    public async Task Before_the_purchases_and_after_they_leave_the_window_everyone_is_C()
    {
        string[] everyone = ["big", "mid", "none", "small"];

        Assert.Equal(everyone, await IdsAsync(At(2024, 5, 31), AbcClass.C));
        Assert.Empty(await IdsAsync(At(2024, 5, 31), AbcClass.A));
        Assert.Equal(everyone, await IdsAsync(At(2025, 6, 2), AbcClass.C));
        Assert.Empty(await IdsAsync(At(2025, 6, 2), AbcClass.A));
    }

    [Fact]
    public async Task The_class_combines_with_the_other_filters_and_pages()
    {
        var queries = new PortfolioQueries(_ledger.Database.DataSource, _ledger.Loader);

        var first = await queries.GetPageAsync(new PortfolioQuery(At(2024, 12, 1), Limit: 1, Abc: AbcClass.C));
        var second = await queries.GetPageAsync(
            new PortfolioQuery(At(2024, 12, 1), After: first.Customers[^1].CustomerId, Limit: 1, Abc: AbcClass.C)
        );
        var transactionalA = await queries.GetPageAsync(
            new PortfolioQuery(At(2024, 12, 1), Tier: RelationshipTier.Transactional, Abc: AbcClass.A)
        );

        Assert.Equal(("none", "small"), (first.Customers.Single().CustomerId, second.Customers.Single().CustomerId));
        Assert.NotNull(first.Next);
        Assert.Null(second.Next);
        Assert.Equal(["big"], transactionalA.Customers.Select(c => c.CustomerId));
    }

    [Fact]
    public async Task A_purchase_applied_after_a_question_moves_the_classes_of_the_next_one()
    {
        // One set of queries: its classification in memory is kept and must take in the new purchase.
        var queries = new PortfolioQueries(_ledger.Database.DataSource, _ledger.Loader);
        var asOf = At(2024, 12, 1);
        var before = await queries.GetPageAsync(new PortfolioQuery(asOf, Abc: AbcClass.A));

        // small buys 1,000 more: total 1,111; small has nothing above it (A), big has 1,001 above it (90 %): B,
        // mid has 1,101 above it (99 %): C.
        await RunAsync("small", At(2024, 7, 1), new RecordPurchase("o-small-2", 1000m, "EUR") { IssuedAt = Issued });
        await RunningDaemon.CaughtUpAsync(_ledger.Database.DataSource, AbcRevenueProjection.ProjectionName);
        var after = await queries.GetPageAsync(new PortfolioQuery(asOf, Abc: AbcClass.A));
        var nowB = await queries.GetPageAsync(new PortfolioQuery(asOf, Abc: AbcClass.B));

        Assert.Equal(["big"], before.Customers.Select(c => c.CustomerId));
        Assert.Equal(["small"], after.Customers.Select(c => c.CustomerId));
        Assert.Equal(["big"], nowB.Customers.Select(c => c.CustomerId));
    }

    private async Task<IReadOnlyList<string>> IdsAsync(DateTimeOffset asOf, AbcClass abc)
    {
        var page = await new PortfolioQueries(_ledger.Database.DataSource, _ledger.Loader).GetPageAsync(
            new PortfolioQuery(asOf, Abc: abc)
        );
        return [.. page.Customers.Select(c => c.CustomerId)];
    }

    private static DateTimeOffset At(int year, int month, int day) => new(year, month, day, 9, 0, 0, TimeSpan.Zero);

    private Task RunAsync(string customer, DateTimeOffset at, CustomerCommand command) =>
        _ledger.RecordAsync(customer, at, Issued, command);
}
