using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.Application;
using RelationshipLedger.EventStore.Projections;
using RelationshipLedger.EventStore.Rebuilds;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>How <c>ledger bench rebuild</c> runs.</summary>
internal sealed record RebuildBenchmarkSettings(
    string? Connection,
    bool Fsync,
    int SmallLog,
    int LargeLog,
    int Writers
);

/// <summary>
/// One projection's rebuilds on a log of <paramref name="LogEvents"/> events, against the raw read of its
/// rows: <paramref name="RebuildPerSecond"/> in a fresh <c>ledger projections rebuild</c> process (with its
/// peak memory), <paramref name="WarmRebuildPerSecond"/> in this process, whose code the earlier rebuilds
/// and the raw read have already compiled, as in a running API.
/// </summary>
internal sealed record RebuildRun(
    string Projection,
    long LogEvents,
    long ProjectionEvents,
    double RebuildPerSecond,
    double WarmRebuildPerSecond,
    double RawPerSecond,
    long PeakWorkingSetBytes,
    string ContentHash,
    bool? MatchesLive
)
{
    public double Ratio => RawPerSecond > 0 ? RebuildPerSecond / RawPerSecond : 0;

    public double WarmRatio => RawPerSecond > 0 ? WarmRebuildPerSecond / RawPerSecond : 0;

    public TimeSpan Took => TimeSpan.FromSeconds(RebuildPerSecond > 0 ? ProjectionEvents / RebuildPerSecond : 0);
}

internal sealed record RebuildBenchmarkReport(
    RebuildBenchmarkSettings Settings,
    MachineInfo Machine,
    IReadOnlyList<RebuildRun> Runs,
    TimeSpan Seeding,
    long SeededEvents,
    int SeededCustomers,
    string? LoadAverageAtEnd
);

/// <summary>
/// Rebuild throughput and memory: grows the log to the small size, rebuilds every registered
/// asynchronous projection three times, grows it to the large size and does it again. The first
/// rebuild, in this process, brings the live model to the head and is not measured. The second runs in
/// a child <c>ledger projections rebuild</c> process, whose peak memory is sampled: what an operator's
/// command does, compiling its code as it goes. The third runs in this process again, its code compiled
/// by then: what a rebuild in a running API does (<c>POST /admin/projections/{name}/rebuild</c>), and the
/// same condition as the raw read's. Each rebuild's rate (the projection's events replayed per second,
/// from its own bookkeeping: replay, hashes, swap) is set against a raw sequential read of the same rows
/// in global order, taken in the same run.
/// </summary>
internal sealed class RebuildBenchmark(BenchTarget target, RebuildBenchmarkSettings settings)
{
    private static readonly TimeSpan SettleDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SettlePoll = TimeSpan.FromMilliseconds(50);

    private readonly EventStore.EventStore _store = RebuildLogSeeder.CreateStore(target.DataSource);

    public async Task<RebuildBenchmarkReport> RunAsync(CancellationToken cancellationToken)
    {
        await LedgerSchema.MigrateAsync(target.DataSource, cancellationToken);
        var machine = await MachineInfo.CollectAsync(target.DataSource, target.Description, cancellationToken);
        var seeder = new RebuildLogSeeder(_store, settings.Writers);
        var projections = LedgerServices.CreateAsyncProjections(_store.Serializer);
        var runs = new List<RebuildRun>();
        var seeding = TimeSpan.Zero;
        foreach (var size in new[] { settings.SmallLog, settings.LargeLog })
        {
            Output.Results.MarkupLine($"Growing the log to {size:N0} events…");
            seeding += await seeder.GrowToAsync(size, _ => { }, cancellationToken);
            await VacuumAnalyzeAsync(cancellationToken);
            var logEvents = await CountAsync(null, cancellationToken);
            Output.Results.MarkupLine($"The log holds {logEvents:N0} events of {seeder.Customers:N0} customers.");
            foreach (var projection in projections)
                runs.Add(await MeasureAsync(projection, logEvents, cancellationToken));
        }
        return new RebuildBenchmarkReport(
            settings,
            machine,
            runs,
            seeding,
            seeder.Events,
            seeder.Customers,
            MachineInfo.ReadLoadAverage()
        );
    }

    private async Task<RebuildRun> MeasureAsync(
        IAsyncProjection projection,
        long logEvents,
        CancellationToken cancellationToken
    )
    {
        // A first, unmeasured rebuild brings the live model to the head, as the daemon keeps it: the
        // measured ones then do all a real rebuild does (hashing a live model as large as the shadow),
        // and the first of them shows whether it reproduced the live rows exactly.
        Output.Results.MarkupLine($"Bringing [bold]{projection.Name}[/] to the head of {logEvents:N0} events…");
        await WaitForSettledLogAsync(cancellationToken);
        await RebuildHereAsync(projection, cancellationToken);
        Output.Results.MarkupLine($"Rebuilding [bold]{projection.Name}[/] on {logEvents:N0} events…");
        var raw = Math.Max(
            await RawReadPerSecondAsync(projection, cancellationToken),
            await RawReadPerSecondAsync(projection, cancellationToken)
        );
        var child = await RebuildInChildAsync(projection, cancellationToken);
        var rebuilt = await LatestRebuildAsync(projection, cancellationToken);
        Output.Results.MarkupLine($"Rebuilding [bold]{projection.Name}[/] again in this process…");
        await RebuildHereAsync(projection, cancellationToken);
        var warm = await LatestRebuildAsync(projection, cancellationToken);
        return new RebuildRun(
            projection.Name,
            logEvents,
            rebuilt.EventsDone,
            rebuilt.EventsPerSecond,
            warm.EventsPerSecond,
            raw,
            child.PeakWorkingSetBytes,
            rebuilt.Hashes?.Shadow.Hash ?? "",
            rebuilt.Hashes?.MatchesLive
        );
    }

    /// <summary>
    /// Waits (at most <see cref="SettleDeadline"/>) until no transaction open anywhere on the server is
    /// older than the log's newest event. A rebuild replays the log up to the oldest running writer of the
    /// whole cluster (the gap-free bound), so a transaction held open elsewhere (another database on a
    /// shared server) would stop one rebuild short of the head and let the next reach it: the two would
    /// then be at different positions and their hashes not comparable. Once settled, the log stays so
    /// until it grows again: a transaction that begins later has a newer id than every event in it.
    /// </summary>
    private async Task WaitForSettledLogAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        await using var command = target.DataSource.CreateCommand(
            "select not exists (select 1 from ledger.events where tx_id >= pg_snapshot_xmin(pg_current_snapshot()))"
        );
        while (!(bool)(await command.ExecuteScalarAsync(cancellationToken))!)
        {
            if (deadline.Elapsed > SettleDeadline)
                return;
            await Task.Delay(SettlePoll, cancellationToken);
        }
    }

    private async Task<RebuildStatus> LatestRebuildAsync(
        IAsyncProjection projection,
        CancellationToken cancellationToken
    ) =>
        await new RebuildOperations(target.DataSource).LatestAsync(projection.Name, cancellationToken)
        ?? throw new InvalidOperationException($"No rebuild of {projection.Name} was recorded.");

    private async Task RebuildHereAsync(IAsyncProjection projection, CancellationToken cancellationToken)
    {
        await using var rebuild =
            await new ProjectionRebuilder(_store, new RebuildOptions()).TryStartAsync(projection, cancellationToken)
            ?? throw new InvalidOperationException($"{projection.Name} is being rebuilt by another process.");
        await rebuild.RunAsync(cancellationToken: cancellationToken);
    }

    private async Task<ChildRebuild> RebuildInChildAsync(
        IAsyncProjection projection,
        CancellationToken cancellationToken
    )
    {
        var child = await RebuildProcess.RunAsync(target.ConnectionString, projection.Name, cancellationToken);
        return child.ExitCode == 0
            ? child
            : throw new InvalidOperationException(
                $"ledger projections rebuild {projection.Name} failed ({child.ExitCode}): {child.Errors}{child.Output}"
            );
    }

    /// <summary>The projection's rows of the log, every column read, in global order, in one streaming query: rows per second.</summary>
    private async Task<double> RawReadPerSecondAsync(IAsyncProjection projection, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var command = target.DataSource.CreateCommand(
            "select seq_id, tx_id, event_id, stream_id, version, type, data, metadata, occurred_at, recorded_at, hash "
                + "from ledger.events where $1::text[] is null or type = any ($1) order by tx_id, seq_id"
        );
        AddTypes(command, projection.EventTypes);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        long rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            _ = (reader.GetInt64(0), reader.GetFieldValue<ulong>(1), reader.GetGuid(2), reader.GetString(3));
            _ = (reader.GetInt64(4), reader.GetString(5), reader.GetString(6), reader.GetString(7));
            _ = (reader.GetDateTime(8), reader.GetDateTime(9), reader.GetFieldValue<byte[]>(10));
            rows++;
        }
        return rows / Math.Max(clock.Elapsed.TotalSeconds, 0.001);
    }

    private async Task<long> CountAsync(IReadOnlyCollection<string>? types, CancellationToken cancellationToken)
    {
        await using var command = target.DataSource.CreateCommand(
            "select count(*) from ledger.events where $1::text[] is null or type = any ($1)"
        );
        AddTypes(command, types);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Fresh statistics and visibility map after seeding, as a real log that has settled would have.</summary>
    private async Task VacuumAnalyzeAsync(CancellationToken cancellationToken)
    {
        await using var command = target.DataSource.CreateCommand("vacuum (analyze) ledger.events");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddTypes(NpgsqlCommand command, IReadOnlyCollection<string>? types) =>
        command.Parameters.Add(
            new()
            {
                Value = (object?)types?.ToArray() ?? DBNull.Value,
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
            }
        );
}
