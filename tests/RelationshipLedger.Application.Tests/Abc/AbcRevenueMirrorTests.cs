using Npgsql;
using RelationshipLedger.Application.Abc;

namespace RelationshipLedger.Application.Tests.Abc;

/// <summary>
/// The ABC classification in memory (<see cref="AbcRevenueMirror"/>, docs/abc.md) against
/// <c>ledger.abc_classes_at</c> on random portfolios — several currencies, a customer trading in two,
/// amounts of every scale the rules allow, refunds, ties, late registrations and back-dated facts — and
/// as the read model grows and is swapped: every answer equal, net revenues to the last digit
/// (<see cref="AbcFacts.ClassesAtAsync"/> compares the two).
/// </summary>
public sealed class AbcRevenueMirrorTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2023, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly decimal[] Amounts = [10m, 10.5m, 10.50m, 7.125m, 3.0001m, 250m, 99.99m, 1_000_000_000_000m];

    private Ledger _ledger = null!;
    private AbcFacts _facts = null!;

    public async Task InitializeAsync()
    {
        _ledger = await Ledger.CreateAsync();
        _facts = new AbcFacts(_ledger.Database.DataSource);
    }

    public async Task DisposeAsync()
    {
        _facts.Mirror.Dispose();
        await _ledger.DisposeAsync();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task A_random_portfolio_is_classified_as_the_database_classifies_it(int seed)
    {
        var random = new Random(seed);
        await WriteRandomAsync(random, customers: 60, prefix: "c");

        foreach (var (asOf, knownAt) in Questions(random, 16))
            await _facts.ClassesAtAsync(asOf, knownAt);
    }

    [Fact]
    public async Task Facts_written_after_a_question_are_in_the_next_answer_whether_or_not_they_are_compacted_yet()
    {
        // New rows read three at a time: every look for new rows takes several reads.
        _facts = new AbcFacts(
            _ledger.Database.DataSource,
            new AbcRevenueMirror(_ledger.Database.DataSource) { NewRowsPerRead = 3 }
        );
        var random = new Random(7);
        await WriteRandomAsync(random, customers: 40, prefix: "m");
        var questions = Questions(random, 6).ToArray();
        foreach (var (asOf, knownAt) in questions)
            await _facts.ClassesAtAsync(asOf, knownAt);

        // A few facts (fewer than a sixteenth: they wait beside the compact ones), among them new customers
        // whose ids sort between the others'.
        await WriteRandomAsync(random, customers: 2, prefix: "m-late");
        foreach (var (asOf, knownAt) in questions)
            await _facts.ClassesAtAsync(asOf, knownAt);

        // Many more: compacted with the rest.
        await WriteRandomAsync(random, customers: 30, prefix: "n");
        foreach (var (asOf, knownAt) in questions)
            await _facts.ClassesAtAsync(asOf, knownAt);
    }

    [Fact]
    public async Task A_swapped_table_is_read_again_from_the_start()
    {
        var random = new Random(11);
        await WriteRandomAsync(random, customers: 20, prefix: "s");
        var asOf = Start + TimeSpan.FromDays(700);
        var before = await _facts.ClassesAtAsync(asOf);

        // As a blue/green rebuild does: a new table under the old name, its rows at earlier log positions
        // than the mirror has read (so only noticing the swap finds them).
        await ExecuteAsync(
            "create table ledger.abc_revenue_swapped (like ledger.abc_revenue including all)",
            "insert into ledger.abc_revenue_swapped select * from ledger.abc_revenue where customer_id <> 's-00'",
            "update ledger.abc_revenue_swapped set amount = sign(amount) * 1.5, position_seq = 0 where customer_id = 's-01'",
            "alter table ledger.abc_revenue rename to abc_revenue_old",
            "alter table ledger.abc_revenue_swapped rename to abc_revenue"
        );

        var after = await _facts.ClassesAtAsync(asOf);
        Assert.NotEqual(before, after);
    }

    [Fact]
    public async Task A_window_whose_sum_exceeds_a_long_in_ten_thousandths_is_added_up_exactly()
    {
        // 950 purchases of 10^12 in one year: 9.5·10^14, 9.5·10^18 ten-thousandths, past long.MaxValue.
        await _facts.RegisterAsync("whale", Start);
        await _facts.RegisterAsync("minnow", Start);
        await _facts.PurchaseAsync("minnow", Start + TimeSpan.FromDays(1), 0.0001m);
        for (var i = 0; i < 950; i++)
            await _facts.PurchaseAsync("whale", Start + TimeSpan.FromHours(i + 1), 1_000_000_000_000m);

        Assert.Equal(
            ["minnow|EUR|0.0001|2|C", "whale|EUR|950000000000000|1|A"],
            await _facts.ClassesAtAsync(Start + TimeSpan.FromDays(100))
        );
    }

    [Fact]
    public async Task Kept_classifications_answer_again_until_a_fact_arrives()
    {
        await _facts.RegisterAsync("k", Start);
        await _facts.PurchaseAsync("k", Start + TimeSpan.FromDays(1), 10m);
        var asOf = Start + TimeSpan.FromDays(10);

        var first = await _facts.Mirror.ClassifyAsync(asOf, null);
        var again = await _facts.Mirror.ClassifyAsync(asOf, null);
        await _facts.PurchaseAsync("k", Start + TimeSpan.FromDays(2), 5m);
        var afterPurchase = await _facts.Mirror.ClassifyAsync(asOf, null);

        Assert.Same(first, again);
        Assert.NotSame(first, afterPurchase);
        Assert.Equal(15m, afterPurchase.Page(null, null, 1).Single().NetRevenue);
    }

    /// <summary>
    /// Customers registered over two years (some recorded late), each with up to twelve purchases and refunds
    /// over three (some recorded up to 60 days late), one in eight in USD and one in twenty in both.
    /// </summary>
    private async Task WriteRandomAsync(Random random, int customers, string prefix)
    {
        for (var c = 0; c < customers; c++)
        {
            var id = $"{prefix}-{c:D2}";
            var registered = Start + TimeSpan.FromHours(random.Next(0, 2 * 8760));
            await _facts.RegisterAsync(id, registered, Late(random, registered));
            var currency = random.Next(8) == 0 ? "USD" : "EUR";
            var twoCurrencies = random.Next(20) == 0;
            for (var f = random.Next(0, 13); f > 0; f--)
            {
                var at = registered + TimeSpan.FromHours(random.Next(0, 3 * 8760));
                var amount = Amounts[random.Next(Amounts.Length)];
                var factCurrency = twoCurrencies && random.Next(2) == 0 ? "GBP" : currency;
                if (random.Next(5) == 0)
                    await _facts.RefundAsync(id, at, amount, factCurrency);
                else
                    await _facts.PurchaseAsync(id, at, amount, factCurrency, Late(random, at));
            }
        }
    }

    private static DateTimeOffset Late(Random random, DateTimeOffset at) =>
        random.Next(3) == 0 ? at + TimeSpan.FromHours(random.Next(1, 60 * 24)) : at;

    /// <summary>Instants over the portfolio's life, half of them as known at an instant around them.</summary>
    private static IEnumerable<(DateTimeOffset AsOf, DateTimeOffset? KnownAt)> Questions(Random random, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var asOf = Start + TimeSpan.FromMinutes(random.Next(0, 4 * 525_600));
            yield return (asOf, random.Next(2) == 0 ? null : asOf + TimeSpan.FromHours(random.Next(-2000, 2000)));
        }
    }

    private async Task ExecuteAsync(params string[] statements)
    {
        await using var connection = await _ledger.Database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var statement in statements)
        {
            await using var command = new NpgsqlCommand(statement, connection, transaction);
            await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }
}
