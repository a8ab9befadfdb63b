using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;
using static RelationshipLedger.Domain.Customers.ChurnSignal;
using static RelationshipLedger.Domain.Tests.TestEvents;
using static RelationshipLedger.Domain.Tests.Timeline;

namespace RelationshipLedger.Domain.Tests.Rules;

// domain.md §2.8: signals when the purchase cycle lengthens (≥ 3 purchases, time since the last > 2 ×
// median interval), the recent volume halves (recent < 0.5 × previous), or satisfaction drops to ≤ 2
// (mean of the last two ratings); ChurnRiskFlagged once per episode, a flag standing until the signals clear.
public class ChurnTests
{
    // Orders 100 on days 0, 10, 20: cycle 10 days, lengthened from day 40 + ε.
    private static Testing.CustomerSpec ThreeOrders() =>
        Start().On(0, Purchase("o1", 100m)).On(10, Purchase("o2", 100m)).On(20, Purchase("o3", 100m));

    [Fact]
    public void A_lengthened_purchase_cycle_is_a_signal()
    {
        var state = ThreeOrders().State;

        // Day 40: 20 days is not > 20. Day 41: 21 > 20. Revenue (−139, 41] = 300 vs 0 is no halving.
        Assert.Empty(ChurnRules.SignalsAt(state, Day(40)));
        Assert.Equal([PurchaseCycleLengthening], ChurnRules.SignalsAt(state, Day(41)));
    }

    [Theory]
    // Orders 100 on day 10 and 20, X on day 195. At day 200: recent (20, 200] = X, previous (−160, 20] = 200.
    [InlineData(0, true)] // no third order: 0 < 100
    [InlineData(99.99, true)]
    [InlineData(100, false)] // 100 < 100 is false
    public void Recent_volume_under_half_the_previous_is_a_signal(double third, bool halved)
    {
        var spec = Start().On(10, Purchase("o1", 100m)).On(20, Purchase("o2", 100m));
        if (third > 0)
            spec.On(195, Purchase("o3", (decimal)third));

        // With three orders the cycle is (10 + 175) / 2 = 92.5 days and the last is 5 days old.
        Assert.Equal(halved ? [VolumeHalved] : [], ChurnRules.SignalsAt(spec.State, Day(200)));
    }

    [Fact]
    public void A_mean_of_the_last_two_ratings_of_two_or_less_is_a_signal()
    {
        // One order on day 10; ratings 3 (day 20), 1 (day 30): (3 + 1) / 2 = 2; then 4 (day 40): 2.5.
        var state = Start()
            .On(10, Purchase("o1", 100m))
            .On(20, Survey("s1", 3))
            .On(30, Survey("s2", 1))
            .On(40, Survey("s3", 4))
            .State;

        Assert.Empty(ChurnRules.SignalsAt(state, Day(25)));
        Assert.Equal([LowSatisfaction], ChurnRules.SignalsAt(state, Day(30)));
        Assert.Empty(ChurnRules.SignalsAt(state, Day(40)));
    }

    [Fact]
    public void All_three_signals_may_stand_at_once()
    {
        // Day 215: 195 days since the last order > 20; recent (35, 215] = 0 < 0.5 × previous (−145, 35] = 300;
        // a rating of 2 on day 100.
        var state = ThreeOrders().On(100, Survey("s1", 2)).State;

        Assert.Equal(
            [PurchaseCycleLengthening, VolumeHalved, LowSatisfaction],
            ChurnRules.SignalsAt(state, Day(215)).Order()
        );
    }

    [Fact]
    public void An_ended_relationship_has_no_churn_signals()
    {
        // Ended on day 50; on day 45 the last order was 25 > 20 days old.
        var state = ThreeOrders().On(50, Ended()).State;

        Assert.Equal([PurchaseCycleLengthening], ChurnRules.SignalsAt(state, Day(45)));
        Assert.Empty(ChurnRules.SignalsAt(state, Day(50)));
    }

    [Fact]
    public void Without_a_flag_no_episode_is_open()
    {
        Assert.False(ChurnRules.EpisodeOpen(ThreeOrders().State, Day(41)));
    }

    [Fact]
    public void A_flag_stands_while_its_signals_stand()
    {
        var state = ThreeOrders().On(41, Flagged(PurchaseCycleLengthening)).State;

        Assert.True(ChurnRules.EpisodeOpen(state, Day(41)));
        Assert.True(ChurnRules.EpisodeOpen(state, Day(100)));
        // Before the flag there was no episode yet.
        Assert.False(ChurnRules.EpisodeOpen(state, Day(40.5)));
    }

    [Fact]
    public void The_episode_closes_when_the_signals_clear()
    {
        // Day 45: a fourth order (intervals 10, 10, 25 → cycle 10, 0 days since the last; recent 400).
        var state = ThreeOrders().On(41, Flagged(PurchaseCycleLengthening)).On(45, Purchase("o4", 100m)).State;

        Assert.True(ChurnRules.EpisodeOpen(state, Day(44)));
        Assert.False(ChurnRules.EpisodeOpen(state, Day(45)));
        // Day 70: the cycle has lengthened again (25 > 20), but that is a new episode, not the flagged one.
        Assert.NotEmpty(ChurnRules.SignalsAt(state, Day(70)));
        Assert.False(ChurnRules.EpisodeOpen(state, Day(70)));
    }

    [Fact]
    public void The_episode_stays_open_while_any_signal_stands_even_when_the_flagged_one_cleared()
    {
        // Flag day 41 (cycle); rating 1 day 43 (low satisfaction); order day 45 clears the cycle but the
        // rating still stands; rating 5 day 47: (1 + 5) / 2 = 3 clears it.
        var state = ThreeOrders()
            .On(41, Flagged(PurchaseCycleLengthening))
            .On(43, Survey("s1", 1))
            .On(45, Purchase("o4", 100m))
            .On(47, Survey("s2", 5))
            .State;

        Assert.Equal([LowSatisfaction], ChurnRules.SignalsAt(state, Day(46)));
        Assert.True(ChurnRules.EpisodeOpen(state, Day(46)));
        Assert.False(ChurnRules.EpisodeOpen(state, Day(47)));
    }

    [Fact]
    public void Ending_the_relationship_closes_the_episode()
    {
        var state = ThreeOrders().On(41, Flagged(PurchaseCycleLengthening)).On(42, Ended()).State;

        Assert.False(ChurnRules.EpisodeOpen(state, Day(42)));
    }
}
