using RelationshipLedger.Application.SatisfactionHistory;
using RelationshipLedger.EventStore.Daemon;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Application.Tests.SatisfactionHistory;

/// <summary>
/// Two daemons on one database, one of them <c>ledger daemon</c> in a child process: the projection
/// runs in exactly one; killing that process with SIGKILL while writers go on hands it to the other,
/// which finishes with the content a fold from scratch gives.
/// </summary>
public sealed class DaemonTakeoverTests : IAsyncLifetime
{
    private const string Projection = SatisfactionHistoryProjection.ProjectionName;
    private Ledger _ledger = null!;

    public async Task InitializeAsync() => _ledger = await Ledger.CreateAsync();

    public async Task DisposeAsync() => await _ledger.DisposeAsync();

    [Fact]
    public async Task When_the_process_running_a_projection_is_killed_the_standby_takes_over_and_ends_with_the_same_content()
    {
        var operations = new ProjectionOperations(_ledger.Database.DataSource);
        using var stopWriting = new CancellationTokenSource();
        var writing = Task.Run(() => WriteUntilStoppedAsync(stopWriting.Token));
        try
        {
            using var child = LedgerDaemonProcess.Start(_ledger.Database.ConnectionString, "child");
            await Eventually.IsTrueAsync(
                async () =>
                {
                    child.EnsureRunning();
                    return await operations.GetAsync(Projection) is { Holder: "child", EventsApplied: > 50 };
                },
                "the child to take the projection and apply events"
            );

            await using var standby = RunningDaemon.Start(
                _ledger.Store,
                LedgerServices.CreateAsyncProjections(_ledger.Store.Serializer),
                RunningDaemon.FastOptions("standby")
            );
            await Eventually.IsTrueAsync(
                () => Task.FromResult(standby.RoleOf(Projection) == ProjectionRole.Standby),
                "the in-process daemon to find the projection taken and stand by"
            );
            Assert.Equal("child", (await operations.GetAsync(Projection))!.Holder);
            child.EnsureRunning();

            await child.KillAsync();

            await Eventually.IsTrueAsync(
                async () => (await operations.GetAsync(Projection))!.Holder == "standby",
                "the standby to take the projection over"
            );
            await Eventually.IsTrueAsync(
                () => Task.FromResult(standby.RoleOf(Projection) == ProjectionRole.Active),
                "the standby's runner to be active"
            );
            await stopWriting.CancelAsync();
            await writing;
            await Eventually.IsTrueAsync(
                async () => (await operations.GetAsync(Projection))!.LagEvents == 0,
                "the standby to catch up"
            );
        }
        finally
        {
            await stopWriting.CancelAsync();
        }

        var readModel = await SatisfactionContent.ReadModelAsync(_ledger.Database.DataSource);
        var folded = await SatisfactionContent.FoldedFromScratchAsync(_ledger.Database.DataSource, _ledger.Loader);
        Assert.Equal(SatisfactionContent.Hash(folded), SatisfactionContent.Hash(readModel));
        Assert.Equal(folded, readModel);
        Assert.Equal(readModel.Count, (await operations.GetAsync(Projection))!.EventsApplied);
    }

    private async Task WriteUntilStoppedAsync(CancellationToken stop)
    {
        var customers = Enumerable
            .Range(1, 6)
            .Select(c => new CustomerWriter(_ledger.Store, $"takeover-{c}", seed: c))
            .ToArray();
        for (var n = 0; !stop.IsCancellationRequested; n++)
            await customers[n % customers.Length].AppendAsync(cancellationToken: CancellationToken.None);
    }
}
