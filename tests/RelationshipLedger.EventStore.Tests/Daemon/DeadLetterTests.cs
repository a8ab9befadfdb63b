using RelationshipLedger.EventStore.Daemon;
using RelationshipLedger.Testing;

namespace RelationshipLedger.EventStore.Tests.Daemon;

/// <summary>A projection that keeps failing on one event: the event is dead-lettered, the projection pauses, the others go on.</summary>
public sealed class DeadLetterTests : StoreTestClass
{
    private const string Poison = "poison";

    [Fact]
    public async Task A_poison_event_is_dead_lettered_its_projection_pauses_before_it_and_other_projections_go_on()
    {
        var (poisoned, healthy, operations) = await ProjectionsAsync();
        await using var daemon = RunningDaemon.Start(Store, [poisoned, healthy]);
        var before = await AppendAsync("first", "second", "third");
        var poison = await AppendAsync(Poison);
        var after = await AppendAsync("fourth", "fifth");

        var status = await Eventually.ReturnsAsync(
            () => operations.GetAsync(poisoned.Name),
            s => s?.State == ProjectionState.Paused,
            "the poisoned projection to pause"
        );
        Assert.Equal(before[^1].Position, status!.Position);
        Assert.Contains("projection bug on purpose", status.LastError, StringComparison.Ordinal);
        Assert.Contains(poison[0].StreamId, status.LastError, StringComparison.Ordinal);
        var letter = Assert.IsType<DeadLetter>(status.DeadLetter);
        Assert.Equal(
            (poison[0].Position, poison[0].EventId, poison[0].StreamId, poison[0].Version, "NoteAdded", 3),
            (letter.Position, letter.EventId, letter.StreamId, letter.Version, letter.Type, letter.Attempts)
        );
        Assert.Contains("InvalidOperationException: projection bug on purpose", letter.Error, StringComparison.Ordinal);
        Assert.Null(letter.Resolution);
        Assert.Equal(3, status.LagEvents);
        Assert.Equal(ProjectionRole.Paused, daemon.RoleOf(poisoned.Name));
        Assert.Equal(before.Select(e => e.EventId), await poisoned.AppliedAsync(Database.DataSource));

        await Eventually.IsTrueAsync(
            async () => (await healthy.AppliedAsync(Database.DataSource)).Count == 6,
            "the healthy projection to apply every event"
        );
        Assert.Equal(ProjectionState.Running, (await operations.GetAsync(healthy.Name))!.State);

        // The fix is deployed; resuming retries the event.
        poisoned.FailWith(_ => null);
        Assert.Equal(ResumeOutcome.Resumed, await operations.ResumeAsync(poisoned.Name, skip: false));
        await Eventually.IsTrueAsync(
            async () => (await operations.GetAsync(poisoned.Name))?.LagEvents == 0,
            "the resumed projection to catch up"
        );
        Assert.Equal(
            before.Concat(poison).Concat(after).Select(e => e.EventId),
            await poisoned.AppliedAsync(Database.DataSource)
        );
        var resolved = Assert.Single(await operations.DeadLettersAsync(poisoned.Name));
        Assert.Equal("retried", resolved.Resolution);
        Assert.Null((await operations.GetAsync(poisoned.Name))!.DeadLetter);
    }

    [Fact]
    public async Task Resuming_with_skip_moves_past_the_dead_letter_and_a_running_projection_cannot_be_resumed()
    {
        var (poisoned, healthy, operations) = await ProjectionsAsync();
        await using var daemon = RunningDaemon.Start(Store, [poisoned, healthy]);
        var before = await AppendAsync("first");
        await AppendAsync(Poison);
        var after = await AppendAsync("second");
        await Eventually.IsTrueAsync(
            async () => (await operations.GetAsync(poisoned.Name))?.State == ProjectionState.Paused,
            "the poisoned projection to pause"
        );

        Assert.Equal(ResumeOutcome.Resumed, await operations.ResumeAsync(poisoned.Name, skip: true));

        await Eventually.IsTrueAsync(
            async () => (await operations.GetAsync(poisoned.Name))?.LagEvents == 0,
            "the projection to go on after the skipped event"
        );
        Assert.Equal(before.Concat(after).Select(e => e.EventId), await poisoned.AppliedAsync(Database.DataSource));
        Assert.Equal("skipped", Assert.Single(await operations.DeadLettersAsync(poisoned.Name)).Resolution);
        Assert.Equal(ResumeOutcome.NotPaused, await operations.ResumeAsync(poisoned.Name, skip: false));
        Assert.Equal(ResumeOutcome.UnknownProjection, await operations.ResumeAsync("no_such_projection", skip: false));
    }

    /// <summary>
    /// A serialization failure (40001), and a column the process still writes but a newer migration
    /// dropped (42703: an old node during an upgrade, docs/operations.md), say nothing about the event.
    /// </summary>
    [Theory]
    [InlineData("40001", "could not serialize access")]
    [InlineData("42703", "column \"version\" of relation \"state_periods\" does not exist")]
    public async Task Transient_failures_are_retried_for_as_long_as_they_last_and_never_dead_letter(
        string sqlState,
        string message
    )
    {
        var flaky = new RecordingProjection("flaky");
        await flaky.CreateTableAsync(Database.DataSource);
        var failures = 0;
        flaky.FailWith(_ =>
            Interlocked.Increment(ref failures) <= 10
                ? new Npgsql.PostgresException(message, "ERROR", "ERROR", sqlState)
                : null
        );
        var operations = new ProjectionOperations(Database.DataSource);
        await using var daemon = RunningDaemon.Start(Store, [flaky]);
        var appended = await AppendAsync("one", "two");

        await Eventually.IsTrueAsync(
            async () => (await flaky.AppliedAsync(Database.DataSource)).Count == 2,
            "the flaky projection to get through"
        );
        Assert.Equal(appended.Select(e => e.EventId), await flaky.AppliedAsync(Database.DataSource));
        var status = await operations.GetAsync(flaky.Name);
        Assert.Equal(ProjectionState.Running, status!.State);
        Assert.Null(status.LastError);
        Assert.Empty(await operations.DeadLettersAsync(flaky.Name));
    }

    private async Task<(
        RecordingProjection Poisoned,
        RecordingProjection Healthy,
        ProjectionOperations Operations
    )> ProjectionsAsync()
    {
        var poisoned = new RecordingProjection("poisoned");
        poisoned.FailWith(e =>
            e.Data.Contains(Poison, StringComparison.Ordinal)
                ? new InvalidOperationException("projection bug on purpose")
                : null
        );
        var healthy = new RecordingProjection("healthy");
        await poisoned.CreateTableAsync(Database.DataSource);
        await healthy.CreateTableAsync(Database.DataSource);
        return (poisoned, healthy, new ProjectionOperations(Database.DataSource));
    }

    /// <summary>Appends the notes in one transaction to one stream, so they reach the daemon in one batch.</summary>
    private async Task<IReadOnlyList<RecordedEvent>> AppendAsync(params string[] notes) =>
        (
            await Store.AppendAsync(
                "notes",
                ExpectedVersion.Any,
                [.. notes.Select(n => new EventToAppend(new NoteAdded(n)))]
            )
        ).Events;
}
