using System.Globalization;
using RelationshipLedger.Cli.Tests.Support;

namespace RelationshipLedger.Cli.Tests.Commands;

/// <summary><c>ledger replay CUSTOMER [--as-of T] [--known-at K]</c>: the auditor's timeline, cut in business or system time.</summary>
public sealed class ReplayCommandTests(ReplayHistory history) : IClassFixture<ReplayHistory>
{
    private const string Customer = ReplayHistory.CustomerId;

    [Fact]
    public async Task Replay_shows_every_event_in_order_with_its_instants_and_actor()
    {
        var result = await history.Ledger.RunAsync("replay", Customer);

        result.AssertExitCode(ExitCodes.Success);
        var timeline = ConsoleTable.In(result.Output);
        Assert.Equal(["1", "2", "3", "4", "5"], timeline.Column("Version"));
        Assert.Equal(ReplayHistory.Types, timeline.Column("Event"));
        Assert.Equal(
            [
                "2019-03-01 09:00:00Z",
                "2019-04-02 10:00:00Z",
                "2019-11-15 09:00:00Z",
                "2020-01-15 10:00:00Z",
                "2021-02-10 08:00:00Z",
            ],
            timeline.Column("Occurred")
        );
        Assert.All(timeline.Column("Who"), who => Assert.StartsWith("cli:", who, StringComparison.Ordinal));
        result.AssertOutputContains($"5 event(s) of {Customer} (Acme GmbH)");
    }

    [Fact]
    public async Task Replay_shows_the_state_after_each_event_and_what_it_changed()
    {
        var result = await history.Ledger.RunAsync("replay", Customer);

        var timeline = ConsoleTable.In(result.Output);
        Assert.Equal(
            ["Transactional", "Transactional", "Transactional", "PreferredSupplier", "PreferredSupplier"],
            timeline.Column("Tier")
        );
        Assert.Equal(["-", "-", "4", "4", "4"], timeline.Column("Rating"));
        var changes = timeline.Column("What changed");
        Assert.Contains("name: ∅ → Acme GmbH", changes[0], StringComparison.Ordinal);
        Assert.Contains("tier: Transactional → PreferredSupplier", changes[3], StringComparison.Ordinal);
        Assert.DoesNotContain("tier:", changes[2], StringComparison.Ordinal);
        Assert.Contains("satisfaction.openComplaints: 0 → 1", changes[4], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2019-12-31", 3)]
    [InlineData("2020-01-15T09:59:59Z", 3)]
    [InlineData("2020-01-15T10:00:00Z", 4)]
    [InlineData("2020-01-15T11:00:00+01:00", 4)]
    [InlineData("2019-03-01", 1)]
    public async Task Replay_as_of_a_business_instant_keeps_the_events_that_occurred_by_then(string asOf, int events)
    {
        var result = await history.Ledger.RunAsync("replay", Customer, "--as-of", asOf);

        result.AssertExitCode(ExitCodes.Success);
        Assert.Equal(ReplayHistory.Types[..events], ConsoleTable.In(result.Output).Column("Event"));
    }

    [Fact]
    public async Task Replay_known_at_a_system_instant_keeps_the_events_recorded_by_then()
    {
        Assert.True(
            history.SecondImportRecordedAt > history.FirstImportRecordedAt,
            "The second import must have been recorded after the first for this test to mean anything."
        );

        var result = await history.Ledger.RunAsync(
            "replay",
            Customer,
            "--known-at",
            Instant(history.FirstImportRecordedAt)
        );

        result.AssertExitCode(ExitCodes.Success);
        Assert.Equal(ReplayHistory.Types[..3], ConsoleTable.In(result.Output).Column("Event"));
    }

    [Fact]
    public async Task Replay_known_at_and_as_of_together_cut_in_both_times()
    {
        var result = await history.Ledger.RunAsync(
            "replay",
            Customer,
            "--known-at",
            Instant(history.FirstImportRecordedAt),
            "--as-of",
            "2019-06-30"
        );

        result.AssertExitCode(ExitCodes.Success);
        Assert.Equal(ReplayHistory.Types[..2], ConsoleTable.In(result.Output).Column("Event"));
    }

    [Fact]
    public async Task Replay_of_an_unknown_customer_says_so_with_the_not_found_code()
    {
        var result = await history.Ledger.RunAsync("replay", "nobody-here");

        result.AssertExitCode(ExitCodes.NotFound);
        result.AssertErrorsContain("There is no customer 'nobody-here'");
        Assert.Empty(ConsoleTable.AllIn(result.Output));
    }

    [Fact]
    public async Task Replay_known_at_before_the_customer_was_recorded_is_not_found()
    {
        var result = await history.Ledger.RunAsync("replay", Customer, "--known-at", "2000-01-01");

        result.AssertExitCode(ExitCodes.NotFound);
        result.AssertErrorsContain($"There is no customer '{Customer}' known at 2000-01-01");
    }

    [Fact]
    public async Task Replay_as_of_before_the_first_event_is_not_found()
    {
        var result = await history.Ledger.RunAsync("replay", Customer, "--as-of", "2019-02-28");

        result.AssertExitCode(ExitCodes.NotFound);
        result.AssertErrorsContain("had no event that occurred by 2019-02-28");
    }

    [Theory]
    [InlineData("--as-of", "yesterday")]
    [InlineData("--as-of", "2020-01-15T10:00:00")]
    [InlineData("--known-at", "15.01.2020")]
    public async Task Replay_with_an_instant_that_is_not_one_is_a_usage_error(string option, string instant)
    {
        var result = await history.Ledger.RunAsync("replay", Customer, option, instant);

        result.AssertExitCode(ExitCodes.Usage);
        result.AssertErrorsContain($"{option} '{instant}' is not an instant");
        Assert.Empty(ConsoleTable.AllIn(result.Output));
    }

    [Fact]
    public async Task Replay_of_a_malformed_customer_id_is_a_usage_error()
    {
        var result = await history.Ledger.RunAsync("replay", "no spaces allowed");

        result.AssertExitCode(ExitCodes.Usage);
        result.AssertErrorsContain("is not a customer id");
    }

    private static string Instant(DateTimeOffset instant) => instant.ToString("O", CultureInfo.InvariantCulture);
}
