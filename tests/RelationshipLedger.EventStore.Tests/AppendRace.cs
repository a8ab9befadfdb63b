using Npgsql;

namespace RelationshipLedger.EventStore.Tests;

/// <summary>What a race of appends came to: the appends that won and the conflicts the others got.</summary>
public sealed record RaceOutcome(
    IReadOnlyList<AppendResult> Won,
    IReadOnlyList<ConcurrencyConflictException> Conflicts
);

/// <summary>Releases many appends at the same moment, each on a connection of its own.</summary>
public static class AppendRace
{
    public static async Task<RaceOutcome> RunAsync(
        NpgsqlDataSource dataSource,
        int racers,
        Func<int, Task<AppendResult>> append,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(append);
        await OpenConnectionsAheadAsync(dataSource, racers, cancellationToken);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var appends = Enumerable
            .Range(0, racers)
            .Select(async racer =>
            {
                await start.Task;
                return await append(racer);
            })
            .ToArray();
        start.SetResult();

        var won = new List<AppendResult>();
        var conflicts = new List<ConcurrencyConflictException>();
        foreach (var racer in appends)
        {
            try
            {
                won.Add(await racer);
            }
            catch (ConcurrencyConflictException conflict)
            {
                conflicts.Add(conflict);
            }
        }
        return new RaceOutcome(won, conflicts);
    }

    /// <summary>Fills the pool so that the racers meet at the stream's lock, not at connection setup.</summary>
    private static async Task OpenConnectionsAheadAsync(
        NpgsqlDataSource dataSource,
        int count,
        CancellationToken cancellationToken
    )
    {
        var connections = await Task.WhenAll(
            Enumerable.Range(0, count).Select(_ => dataSource.OpenConnectionAsync(cancellationToken).AsTask())
        );
        foreach (var connection in connections)
            await connection.DisposeAsync();
    }
}
