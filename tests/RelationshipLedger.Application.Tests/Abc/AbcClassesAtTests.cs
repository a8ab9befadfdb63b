using RelationshipLedger.Application.Abc;

namespace RelationshipLedger.Application.Tests.Abc;

/// <summary>
/// ledger.abc_classes_at against pyramids worked out by hand from domain.md §2.5 (docs/abc.md):
/// rank by net revenue over (asOf − 365 days, asOf], ties by id; A while those above hold less than
/// 80 % of the total, B while less than 95 %, C otherwise; no revenue ⇒ C; one pyramid per currency.
/// </summary>
public sealed class AbcClassesAtTests : IAsyncLifetime
{
    private static readonly DateTimeOffset AsOf = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Year = TimeSpan.FromDays(365);
    private static readonly TimeSpan Microsecond = TimeSpan.FromTicks(10);

    private Ledger _ledger = null!;
    private AbcFacts _facts = null!;

    public async Task InitializeAsync()
    {
        _ledger = await Ledger.CreateAsync();
        _facts = new AbcFacts(_ledger.Database.DataSource);
    }

    public async Task DisposeAsync() => await _ledger.DisposeAsync();

    [Fact]
    public async Task The_customer_crossing_80_percent_is_still_A_the_95_percent_line_is_C_and_ties_go_by_id()
    {
        var registered = AsOf - TimeSpan.FromDays(800);
        // EUR total 1000: 500 (above 0 %) A, 300 (above 50 %, crosses 80 %) A, 100 (above exactly 80 %) B,
        // the tie of 50s by id: d-tie (above 90 %) B, e-tie (above exactly 95 %) C.
        foreach (var (id, amount) in new[] { ("b-second", 300m), ("c-third", 100m), ("e-tie", 50m), ("d-tie", 50m) })
        {
            await _facts.RegisterAsync(id, registered);
            await _facts.PurchaseAsync(id, AsOf - TimeSpan.FromDays(10), amount);
        }
        await _facts.RegisterAsync("a-top", registered);
        await _facts.PurchaseAsync("a-top", AsOf, 400m);
        await _facts.PurchaseAsync("a-top", AsOf - Year + Microsecond, 100m);

        var classes = await _facts.ClassesAtAsync(AsOf);

        Assert.Equal(
            [
                "a-top|EUR|500|1|A",
                "b-second|EUR|300|2|A",
                "c-third|EUR|100|3|B",
                "d-tie|EUR|50|4|B",
                "e-tie|EUR|50|5|C",
            ],
            classes
        );
    }

    [Fact]
    public async Task As_known_at_an_instant_only_the_facts_recorded_by_then_count()
    {
        var registered = AsOf - TimeSpan.FromDays(800);
        var firstRecorded = AsOf + TimeSpan.FromDays(1);
        var knownBefore = AsOf + TimeSpan.FromDays(2);
        var lateRecorded = AsOf + TimeSpan.FromDays(3);
        foreach (var (id, amount) in new[] { ("a", 100m), ("b", 300m), ("d", 25m) })
        {
            await _facts.RegisterAsync(id, registered, recordedAt: firstRecorded);
            await _facts.PurchaseAsync(id, AsOf - TimeSpan.FromDays(30), amount, recordedAt: firstRecorded);
        }
        // Recorded late, both about the year before AsOf: a purchase of a's, and c's registration.
        await _facts.PurchaseAsync("a", AsOf - TimeSpan.FromDays(20), 500m, recordedAt: lateRecorded);
        await _facts.RegisterAsync("c", registered, recordedAt: lateRecorded);

        var before = await _facts.ClassesAtAsync(AsOf, knownBefore);
        var now = await _facts.ClassesAtAsync(AsOf);

        // Known before: EUR 425; b above 0 A, a above 300 (70.6 %) A, d above 400 (94.1 %) B.
        Assert.Equal(["a|EUR|100|2|A", "b|EUR|300|1|A", "d|EUR|25|3|B"], before);
        // Known now: EUR 925; a above 0 A, b above 600 (64.9 %) A, d above 900 (97.3 %) C; c has no revenue: C.
        Assert.Equal(["a|EUR|600|1|A", "b|EUR|300|2|A", "c|-|0|1|C", "d|EUR|25|3|C"], now);
        Assert.Equal(now, await _facts.ClassesAtAsync(AsOf, lateRecorded));
    }

    [Fact]
    public async Task Revenue_outside_the_window_refunds_and_no_revenue_make_C_and_every_registered_customer_is_counted()
    {
        var registered = AsOf - TimeSpan.FromDays(800);
        await _facts.RegisterAsync("top", registered);
        await _facts.PurchaseAsync("top", AsOf - TimeSpan.FromDays(100), 1000m);
        // Leaves the window exactly 365 days after it occurred; one after asOf is not yet counted.
        await _facts.PurchaseAsync("top", AsOf - Year, 5000m);
        await _facts.PurchaseAsync("top", AsOf + Microsecond, 5000m);
        await _facts.RegisterAsync("refunded", registered);
        await _facts.PurchaseAsync("refunded", AsOf - TimeSpan.FromDays(50), 40m);
        await _facts.RefundAsync("refunded", AsOf - TimeSpan.FromDays(40), 40m);
        await _facts.RegisterAsync("negative", registered);
        await _facts.PurchaseAsync("negative", AsOf - TimeSpan.FromDays(400), 30m);
        await _facts.RefundAsync("negative", AsOf - TimeSpan.FromDays(300), 30m);
        await _facts.RegisterAsync("partly-refunded", registered);
        await _facts.PurchaseAsync("partly-refunded", AsOf - TimeSpan.FromDays(20), 400m);
        await _facts.RefundAsync("partly-refunded", AsOf - TimeSpan.FromDays(19), 150m);
        await _facts.RegisterAsync("no-purchase", registered);
        await _facts.RegisterAsync("later", AsOf + Microsecond);

        var classes = await _facts.ClassesAtAsync(AsOf);

        // EUR total 1250 (the positive net revenues): top above 0 → A; partly-refunded above 80 % → B.
        Assert.Equal(
            [
                "negative|EUR|-30|4|C",
                "no-purchase|-|0|1|C",
                "partly-refunded|EUR|250|2|B",
                "refunded|EUR|0|3|C",
                "top|EUR|1000|1|A",
            ],
            classes
        );
    }

    [Fact]
    public async Task Each_currency_is_a_pyramid_of_its_own()
    {
        var registered = AsOf - TimeSpan.FromDays(30);
        foreach (
            var (id, amount, currency) in new[] { ("eur-1", 100m, "EUR"), ("usd-1", 90m, "USD"), ("usd-2", 10m, "USD") }
        )
        {
            await _facts.RegisterAsync(id, registered);
            await _facts.PurchaseAsync(id, AsOf - TimeSpan.FromDays(1), amount, currency);
        }

        var classes = await _facts.ClassesAtAsync(AsOf);

        // In one pyramid of 200 usd-2 would be above 95 %; in USD's, usd-1 holds 90 % above it: B.
        Assert.Equal(["eur-1|EUR|100|1|A", "usd-1|USD|90|1|A", "usd-2|USD|10|2|B"], classes);
    }

    [Fact]
    public async Task The_classes_at_several_instants_follow_the_window_and_the_registrations()
    {
        var t0 = new DateTimeOffset(2024, 3, 1, 12, 0, 0, TimeSpan.Zero);
        await _facts.RegisterAsync("early", t0);
        await _facts.PurchaseAsync("early", t0 + TimeSpan.FromDays(1), 100m);
        await _facts.RegisterAsync("late", t0 + TimeSpan.FromDays(200));
        await _facts.PurchaseAsync("late", t0 + TimeSpan.FromDays(201), 900m);
        await _facts.PurchaseAsync("early", t0 + TimeSpan.FromDays(400), 50m);
        var earlyLeaves = t0 + TimeSpan.FromDays(1) + Year;

        Assert.Empty(await _facts.ClassesAtAsync(t0 - Microsecond));
        Assert.Equal(["early|-|0|1|C"], await _facts.ClassesAtAsync(t0));
        Assert.Equal(["early|EUR|100|1|A"], await _facts.ClassesAtAsync(t0 + TimeSpan.FromDays(100)));
        // late 900 above 0 → A; early 100 above 90 % → B.
        Assert.Equal(["early|EUR|100|2|B", "late|EUR|900|1|A"], await _facts.ClassesAtAsync(earlyLeaves - Microsecond));
        // early's first purchase has left (exactly 365 days): no revenue, C.
        Assert.Equal(["early|-|0|1|C", "late|EUR|900|1|A"], await _facts.ClassesAtAsync(earlyLeaves));
        // early 50 (above 0 % of 950... late holds 900 above it → 94.7 %): B.
        Assert.Equal(
            ["early|EUR|50|2|B", "late|EUR|900|1|A"],
            await _facts.ClassesAtAsync(t0 + TimeSpan.FromDays(400))
        );
    }
}
