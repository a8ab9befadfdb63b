using System.Text.Encodings.Web;
using System.Text.Json;
using NpgsqlTypes;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Application.Feed;

/// <summary>
/// Writes the global log, or the part of it a request asks for, as NDJSON or CSV in gap-free global
/// order. It pages through the log and writes each event as it goes, so memory stays constant
/// whatever the log's size. It stops where a reader of the log is caught up; an export from the
/// result's <see cref="ExportResult.Last"/> continues exactly where this one ended.
/// </summary>
public sealed class EventExporter(EventStore.EventStore store)
{
    // The feed's JSON (web names), written for files rather than for HTML pages: non-ASCII text stays readable.
    private static readonly JsonSerializerOptions NdjsonOptions = new(ReadModelJson.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public async Task<ExportResult> ExportAsync(
        TextWriter output,
        ExportRequest request,
        IProgress<ExportProgress>? progress = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(request);
        Func<RecordedEvent, string> format = request.Format switch
        {
            ExportFormat.Ndjson => NdjsonLine,
            ExportFormat.Csv => CsvEventRow.Format,
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Format, "Unknown export format."),
        };
        if (request.Format == ExportFormat.Csv)
            await output.WriteAsync(CsvEventRow.Header.AsMemory(), cancellationToken);

        long events = 0;
        var last = request.After;
        var log = store.ReadAllForwardAsync(request.After, request.PageSize, request.Types, cancellationToken);
        await foreach (var recorded in log)
        {
            await output.WriteAsync(format(recorded).AsMemory(), cancellationToken);
            events++;
            last = recorded.Position;
            if (events % request.PageSize == 0)
                progress?.Report(new ExportProgress(events, last));
        }
        await output.FlushAsync(cancellationToken);
        progress?.Report(new ExportProgress(events, last));
        return new ExportResult(events, last);
    }

    /// <summary>
    /// How many events an export of <paramref name="request"/> would write if nothing committed
    /// meanwhile: a total for progress bars, counted with the same rule the export reads by.
    /// </summary>
    public async Task<long> CountAsync(ExportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var command = store.DataSource.CreateCommand(
            "select count(*) from ledger.events where (tx_id, seq_id) > ($1, $2) "
                + "and tx_id < pg_snapshot_xmin(pg_current_snapshot()) and ($3::text[] is null or type = any($3))"
        );
        command.Parameters.Add(new() { Value = request.After.TransactionId, NpgsqlDbType = NpgsqlDbType.Xid8 });
        command.Parameters.Add(new() { Value = request.After.SequenceId, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(
            new()
            {
                Value = (object?)request.Types?.ToArray() ?? DBNull.Value,
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
            }
        );
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The event as the feed shows it, on one line (JSON text never holds a raw line break).</summary>
    public static string NdjsonLine(RecordedEvent recorded) =>
        JsonSerializer.Serialize(AuditEvent.From(recorded), NdjsonOptions) + "\n";
}
