using RelationshipLedger.Application.StateHistory;

namespace RelationshipLedger.Application.Tests.StateHistory;

/// <summary>
/// The kept states' cache: bounded by entries and by weight in each of two generations, an entry recalled
/// from the older generation kept on, and what is held never more than two generations' worth.
/// </summary>
public sealed class TwoGenerationCacheTests
{
    [Fact]
    public void A_full_generation_turns_over_and_the_generation_before_it_is_let_go_of()
    {
        var cache = new TwoGenerationCache<int>(capacity: 2, maxWeight: 100, weigh: _ => 1);
        cache.Keep("a", 1);
        cache.Keep("b", 2);
        cache.Keep("c", 3); // the newer (a, b) becomes the older
        cache.Keep("d", 4);
        cache.Keep("e", 5); // (c, d) becomes the older: a and b are let go of

        Assert.False(cache.TryRecall("a", out _));
        Assert.False(cache.TryRecall("b", out _));
        Assert.True(cache.TryRecall("c", out var c));
        Assert.Equal(3, c);
    }

    [Fact]
    public void The_weight_turns_a_generation_over_before_its_count_does()
    {
        var cache = new TwoGenerationCache<int>(capacity: 100, maxWeight: 10, weigh: value => value);
        cache.Keep("a", 6);
        cache.Keep("b", 6); // 12 > 10: (a) becomes the older
        cache.Keep("c", 6); // (b) becomes the older: a is let go of

        Assert.False(cache.TryRecall("a", out _));
        Assert.True(cache.TryRecall("b", out _));
    }

    [Fact]
    public void An_entry_recalled_from_the_older_generation_outlives_the_next_turn_over()
    {
        var cache = new TwoGenerationCache<int>(capacity: 2, maxWeight: 100, weigh: _ => 1);
        cache.Keep("a", 1);
        cache.Keep("b", 2);
        cache.Keep("c", 3); // older (a, b), newer (c)
        Assert.True(cache.TryRecall("a", out _)); // moves to the newer: (c, a)
        cache.Keep("d", 4); // older (c, a), newer (d); b is let go of

        Assert.True(cache.TryRecall("a", out _));
        Assert.False(cache.TryRecall("b", out _));
    }

    [Fact]
    public void Keeping_a_newer_value_replaces_the_old_one_and_its_weight()
    {
        var cache = new TwoGenerationCache<int>(capacity: 100, maxWeight: 10, weigh: value => value);
        cache.Keep("a", 8);
        cache.Keep("a", 2); // the generation weighs 2 now, not 8 + 2
        cache.Keep("b", 8); // 10: no turn over
        cache.Keep("c", 1); // 11: (a, b) becomes the older
        cache.Keep("d", 10); // 11: (c) becomes the older, a and b are let go of together

        Assert.False(cache.TryRecall("b", out _));
        Assert.False(cache.TryRecall("a", out _));
        Assert.True(cache.TryRecall("c", out var c));
        Assert.Equal(1, c);
    }

    [Fact]
    public void The_weight_is_what_both_generations_hold()
    {
        var cache = new TwoGenerationCache<int>(capacity: 2, maxWeight: 100, weigh: value => value);
        cache.Keep("a", 1);
        cache.Keep("b", 2);
        cache.Keep("c", 4); // older (a, b), newer (c)
        Assert.Equal(7, cache.Weight);
        cache.TryRecall("a", out _); // moves: older (b), newer (c, a)
        Assert.Equal(7, cache.Weight);
        cache.Keep("d", 8); // older (c, a), newer (d): b is let go of
        Assert.Equal(13, cache.Weight);
        cache.Forget("c");
        cache.Forget("d");
        Assert.Equal(1, cache.Weight);
    }

    [Fact]
    public void A_forgotten_entry_is_gone_from_both_generations()
    {
        var cache = new TwoGenerationCache<int>(capacity: 1, maxWeight: 100, weigh: _ => 1);
        cache.Keep("a", 1);
        cache.Keep("b", 2); // older (a), newer (b)
        cache.Forget("a");
        cache.Forget("b");

        Assert.False(cache.TryRecall("a", out _));
        Assert.False(cache.TryRecall("b", out _));
    }

    /// <summary>
    /// The cliff docs/portfolio.md describes: streams taken in turn are all found again while they fit in one
    /// generation (and a little more), and none is once they need more than two — each is let go of just
    /// before its next turn.
    /// </summary>
    [Theory]
    [InlineData(10, 10)] // one generation
    [InlineData(11, 11)] // one generation and a stream: the recalled ones carry the rest over
    [InlineData(21, 0)] // more than two generations
    [InlineData(40, 0)]
    public void Streams_taken_in_turn_are_found_again_only_while_they_fit(int streams, int found)
    {
        var cache = new TwoGenerationCache<int>(capacity: 1000, maxWeight: 50, weigh: _ => 5);
        var hits = 0;
        for (var round = 0; round < 5; round++)
        for (var stream = 0; stream < streams; stream++)
        {
            hits += round == 4 && cache.TryRecall($"s{stream}", out _) ? 1 : 0;
            if (round < 4)
                cache.TryRecall($"s{stream}", out _);
            cache.Keep($"s{stream}", stream);
        }

        Assert.Equal(found, hits);
    }
}
