using RelationshipLedger.Application.Customers;
using RelationshipLedger.Application.Customers.Caching;
using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Application.Tests;

/// <summary>
/// The state cache is bounded by the events its heads fold, not only by their number: a state grows
/// with its history, so a count alone would let memory grow as long as customers keep buying.
/// </summary>
public sealed class StateCacheBoundsTests
{
    [Fact]
    public void The_heads_kept_never_fold_more_events_than_the_budget_and_the_newest_is_kept()
    {
        var cache = new CustomerStateCache(capacity: 1_000, maxEvents: 1_000);

        for (var i = 0; i < 200; i++)
        {
            cache.OfferHead($"c-{i}", Head(version: 50));

            Assert.InRange(cache.HeadEvents, 50, 1_000);
            Assert.NotNull(cache.Head($"c-{i}"));
        }
    }

    [Fact]
    public void A_newer_head_of_the_same_customer_replaces_the_older_one_in_the_count()
    {
        var cache = new CustomerStateCache(capacity: 10, maxEvents: 1_000);

        cache.OfferHead("c-1", Head(version: 10));
        cache.OfferHead("c-1", Head(version: 30));
        cache.OfferHead("c-1", Head(version: 20));

        Assert.Equal(30, cache.HeadEvents);
        Assert.Equal(30, cache.Head("c-1")!.Version);
    }

    [Fact]
    public void A_head_larger_than_the_whole_budget_is_not_kept_and_the_others_stay()
    {
        var cache = new CustomerStateCache(capacity: 10, maxEvents: 100);
        cache.OfferHead("small", Head(version: 40));

        cache.OfferHead("huge", Head(version: 101));

        Assert.Null(cache.Head("huge"));
        Assert.NotNull(cache.Head("small"));
        Assert.Equal(40, cache.HeadEvents);
    }

    [Fact]
    public void The_count_still_bounds_small_heads()
    {
        var cache = new CustomerStateCache(capacity: 10, maxEvents: 1_000_000);

        for (var i = 0; i < 100; i++)
            cache.OfferHead($"c-{i}", Head(version: 1));

        Assert.InRange(cache.HeadEvents, 1, 10);
        Assert.NotNull(cache.Head("c-99"));
    }

    private static LoadedCustomer Head(long version) => new(CustomerState.Initial with { Version = version }, version);
}
