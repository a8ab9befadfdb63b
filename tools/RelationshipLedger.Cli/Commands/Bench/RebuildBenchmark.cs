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

/// <summary>One rebuild of one projection on a log of <paramref name="LogEvents"/> events, against the raw read of its rows.</summary>
internal sealed record RebuildRun(
    string Projection,
    long LogEvents,
    long ProjectionEvents,
    double RebuildPerSecond,
    double RawPerSecond,
    long PeakWorkingSetBytes,
    string ContentHash,
    bool? MatchesLive
)
{
    public double Ratio => RawPerSecond > 0 ? RebuildPerSecond / RawPerSecond : 0;

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
/// asynchronous projection twice (each in a child <c>ledger projections rebuild</c> process, whose peak
/// memory is sampled; the first brings the live model to the head and is not measured), grows it to
/// the large size and does it again. Each rebuild's rate (the
/// projection's events replayed per second, from its own bookkeeping: replay, hashes, swap) is set
/// against a raw sequential read of the same rows in global order, taken in the same run.
/// </summary>
internal sealed class RebuildBenchmark(BenchTarget target, RebuildBenchmarkSettings settings)
{
    public async Task<RebuildBenchmarkReport> RunAsync(CancellationToken cancellationToken)
    {
        await LedgerSchema.MigrateAsync(target.DataSource, cancellationToken);
        var machine = await MachineInfo.CollectAsync(target.DataSource, target.Description, cancellationToken);
        var store = RebuildLogSeeder.CreateStore(target.DataSource);
        var seeder = new RebuildLogSeeder(store, settings.Writers);
        var projections = LedgerServices.CreateAsyncProjections(store.Serializer);
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
        // measured one then does all a real rebuild does (hashing a live model as large as the
        // shadow) and shows whether it reproduced the live rows exactly.
        Output.Results.MarkupLine($"Bringing [bold]{projection.Name}[/] to the head of {logEvents:N0} events…");
        await RebuildAsync(projection, cancellationToken);
        Output.Results.MarkupLine($"Rebuilding [bold]{projection.Name}[/] on {logEvents:N0} events…");
        var raw = Math.Max(
            await RawReadPerSecondAsync(projection, cancellationToken),
            await RawReadPerSecondAsync(projection, cancellationToken)
        );
        var child = await RebuildAsync(projection, cancellationToken);
        var rebuilt =
            await new RebuildOperations(target.DataSource).LatestAsync(projection.Name, cancellationToken)
            ?? throw new InvalidOperationException($"No rebuild of {projection.Name} was recorded.");
        return new RebuildRun(
            projection.Name,
            logEvents,
            rebuilt.EventsDone,
            rebuilt.EventsPerSecond,
            raw,
            child.PeakWorkingSetBytes,
            rebuilt.Hashes?.Shadow.Hash ?? "",
            rebuilt.Hashes?.MatchesLive
        );
    }

    private async Task<ChildRebuild> RebuildAsync(IAsyncProjection projection, CancellationToken cancellationToken)
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
