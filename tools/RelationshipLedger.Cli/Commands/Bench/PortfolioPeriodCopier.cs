using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using RelationshipLedger.Application.Seeding;
using RelationshipLedger.Application.StateHistory;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Cli.Commands.Bench;

/// <summary>
/// Fills <c>ledger.state_periods</c> without the log: each seeded customer's history is decided and
/// folded in memory (<see cref="SeededStreams"/>), cut into periods by the projection's own
/// <see cref="StatePeriods.Of"/>, and the rows are written with binary COPY — the rows the daemon would
/// write for the same streams, in a fraction of the time; the ABC read model's rows of the same streams
/// too (<see cref="PortfolioAbcWriter"/>). As in any bulk load, the table's indexes and
/// its exclusion constraint are dropped first and rebuilt from their own definitions afterwards (the
/// rebuild is part of the time measured).
/// </summary>
internal static class PortfolioPeriodCopier
{
    private const string CopySql =
        "copy ledger.state_periods (customer_id, valid_during, tier, tier_since, stage, stage_since, "
        + "owner_id, owner_since, name) from stdin (format binary)";

    public static async Task<Throughput> CopyAsync(
        NpgsqlDataSource dataSource,
        SeedOptions options,
        LifecycleRules rules,
        int writers,
        IProgress<int> progress,
        CancellationToken cancellationToken
    )
    {
        var started = Stopwatch.GetTimestamp();
        var rebuild = await DropIndexesAsync(dataSource, cancellationToken);
        var next = -1;
        var rows = 0L;
        var tasks = Enumerable
            .Range(0, writers)
            .Select(_ =>
                Task.Run(
                    async () =>
                    {
                        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                        await using var importer = await connection.BeginBinaryImportAsync(CopySql, cancellationToken);
                        await using var abc = await PortfolioAbcWriter.OpenAsync(dataSource, cancellationToken);
                        for (
                            var index = Interlocked.Increment(ref next);
                            index < options.Customers;
                            index = Interlocked.Increment(ref next)
                        )
                        {
                            var written = await WriteCustomerAsync(
                                importer,
                                abc,
                                index,
                                options,
                                rules,
                                cancellationToken
                            );
                            Interlocked.Add(ref rows, written);
                            progress.Report(index);
                        }
                        await importer.CompleteAsync(cancellationToken);
                        await abc.CompleteAsync(cancellationToken);
                    },
                    cancellationToken
                )
            )
            .ToArray();
        await Task.WhenAll(tasks);
        await RebuildIndexesAsync(dataSource, rebuild, cancellationToken);
        return new Throughput(rows, Stopwatch.GetElapsedTime(started));
    }

    private static async Task<int> WriteCustomerAsync(
        NpgsqlBinaryImporter importer,
        PortfolioAbcWriter abc,
        int index,
        SeedOptions options,
        LifecycleRules rules,
        CancellationToken cancellationToken
    )
    {
        var customerId = SeedHistories.CustomerIdOf(index);
        var state = SeededStreams.Decide(index, options).State;
        await abc.WriteAsync(index, customerId, state, cancellationToken);
        var periods = StatePeriods.Of(state, rules);
        foreach (var period in periods)
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(customerId, NpgsqlDbType.Text, cancellationToken);
            var validDuring = period.To is { } to
                ? new NpgsqlRange<DateTime>(period.From.UtcDateTime, true, to.UtcDateTime, false)
                : new NpgsqlRange<DateTime>(period.From.UtcDateTime, true, false, default, false, true);
            await importer.WriteAsync(validDuring, NpgsqlDbType.TimestampTzRange, cancellationToken);
            await importer.WriteAsync(period.Tier.ToString(), NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(period.TierSince.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
            await importer.WriteAsync(period.Stage.ToString(), NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(period.StageSince.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
            await WriteNullableAsync(importer, period.OwnerId, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(
                importer,
                period.OwnerSince?.UtcDateTime,
                NpgsqlDbType.TimestampTz,
                cancellationToken
            );
            await importer.WriteAsync(state.Name, NpgsqlDbType.Text, cancellationToken);
        }
        return periods.Count;
    }

    private static Task WriteNullableAsync<T>(
        NpgsqlBinaryImporter importer,
        T? value,
        NpgsqlDbType type,
        CancellationToken cancellationToken
    ) =>
        value is null
            ? importer.WriteNullAsync(cancellationToken)
            : importer.WriteAsync(value, type, cancellationToken);

    /// <summary>Drops the table's exclusion constraint and indexes; the statements that rebuild them.</summary>
    private static async Task<IReadOnlyList<string>> DropIndexesAsync(
        NpgsqlDataSource dataSource,
        CancellationToken cancellationToken
    )
    {
        var drops = new List<string>();
        var rebuilds = new List<string>();
        await using (
            var constraints = dataSource.CreateCommand(
                "select conname, pg_get_constraintdef(oid) from pg_constraint "
                    + "where conrelid = 'ledger.state_periods'::regclass and contype = 'x'"
            )
        )
        await using (var reader = await constraints.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
            {
                drops.Add($"alter table ledger.state_periods drop constraint {reader.GetString(0)}");
                rebuilds.Add(
                    $"alter table ledger.state_periods add constraint {reader.GetString(0)} {reader.GetString(1)}"
                );
            }
        await using (
            var indexes = dataSource.CreateCommand(
                "select i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) from pg_index i "
                    + "where i.indrelid = 'ledger.state_periods'::regclass "
                    + "and not exists (select from pg_constraint c where c.conindid = i.indexrelid)"
            )
        )
        await using (var reader = await indexes.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
            {
                drops.Add($"drop index {reader.GetString(0)}");
                rebuilds.Add(reader.GetString(1));
            }
        foreach (var drop in drops)
        {
            await using var command = dataSource.CreateCommand(drop);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return rebuilds;
    }

    private static async Task RebuildIndexesAsync(
        NpgsqlDataSource dataSource,
        IReadOnlyList<string> rebuilds,
        CancellationToken cancellationToken
    )
    {
        foreach (var rebuild in rebuilds)
        {
            await using var command = dataSource.CreateCommand(rebuild);
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
