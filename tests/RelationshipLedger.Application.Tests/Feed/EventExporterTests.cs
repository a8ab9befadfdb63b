using System.Text.Json;
using RelationshipLedger.Application.Feed;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.EventStore;
using RelationshipLedger.Testing;

namespace RelationshipLedger.Application.Tests.Feed;

/// <summary>EventExporter: the global log as NDJSON or CSV, in gap-free order, from a position and of some types.</summary>
public sealed class EventExporterTests : IAsyncLifetime
{
    private const string AwkwardName = "Acme, \"the\" firm\nLtd";
    private const string AwkwardActor = "Smith, \"J\"\nsales";
    private static readonly DateTimeOffset Monday = new(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);

    private Ledger _ledger = null!;
    private EventExporter _exporter = null!;

    public async Task InitializeAsync()
    {
        _ledger = await Ledger.CreateAsync();
        _exporter = new EventExporter(_ledger.Store);
    }

    public async Task DisposeAsync() => await _ledger.DisposeAsync();

    [Fact]
    public async Task Ndjson_is_one_event_per_line_in_global_order_in_the_feed_shape()
    {
        var appended = await AppendHistoryAsync();

        var (text, result) = await ExportAsync(new ExportRequest { Format = ExportFormat.Ndjson });

        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var lines = text[..^1].Split('\n');
        Assert.Equal(appended.Count, lines.Length);
        Assert.Equal((appended.Count, appended[^1].Position), (result.Events, result.Last));
        for (var i = 0; i < lines.Length; i++)
        {
            var line = JsonSerializer.Deserialize<JsonElement>(lines[i]);
            var expected = appended[i];
            Assert.Equal(
                [
                    "eventId",
                    "customerId",
                    "version",
                    "position",
                    "type",
                    "data",
                    "metadata",
                    "occurredAt",
                    "recordedAt",
                    "hash",
                ],
                line.EnumerateObject().Select(p => p.Name)
            );
            Assert.Equal(expected.EventId, line.GetProperty("eventId").GetGuid());
            Assert.Equal(expected.StreamId, line.GetProperty("customerId").GetString());
            Assert.Equal(expected.Version, line.GetProperty("version").GetInt64());
            Assert.Equal(expected.Position.ToString(), line.GetProperty("position").GetString());
            Assert.Equal(expected.Type, line.GetProperty("type").GetString());
            Assert.Equal(expected.OccurredAt, line.GetProperty("occurredAt").GetDateTimeOffset());
            Assert.Equal(expected.RecordedAt, line.GetProperty("recordedAt").GetDateTimeOffset());
            Assert.Equal(Convert.ToHexStringLower(expected.Hash.Span), line.GetProperty("hash").GetString());
            Assert.True(JsonElement.DeepEquals(JsonElement.Parse(expected.Data), line.GetProperty("data")));
            Assert.True(JsonElement.DeepEquals(JsonElement.Parse(expected.Metadata), line.GetProperty("metadata")));
        }
        var awkward = JsonSerializer.Deserialize<JsonElement>(lines[3]);
        Assert.Equal(AwkwardName, awkward.GetProperty("data").GetProperty("name").GetString());
        Assert.Equal(AwkwardActor, awkward.GetProperty("metadata").GetProperty("actor").GetString());
    }

    [Fact]
    public async Task Csv_has_the_fixed_header_then_one_record_per_event_quoted_where_needed()
    {
        var appended = await AppendHistoryAsync();

        var (text, result) = await ExportAsync(new ExportRequest { Format = ExportFormat.Csv });

        var lines = text.Split("\r\n");
        Assert.Equal("position,stream,version,type,occurredAt,recordedAt,actor,hash,data", lines[0]);
        Assert.Equal("", lines[^1]);
        Assert.Equal(appended.Count + 2, lines.Length);
        Assert.Equal(appended.Count, result.Events);
        var first = appended[0];
        Assert.Equal(
            $"{first.Position},exp-alpha,1,CustomerRegistered,2025-01-06T09:00:00.000000Z,{Instant(first.RecordedAt)},"
                + $"order-desk,{Hex(first)},\"{{\"\"kind\"\": \"\"Organization\"\", \"\"name\"\": \"\"Alpha AG\"\"}}\"",
            lines[1]
        );
        var purchase = appended[1];
        Assert.Equal(
            $"{purchase.Position},exp-alpha,2,PurchaseRecorded,2025-01-07T09:00:00.123456Z,{Instant(purchase.RecordedAt)},"
                + $"order-desk,{Hex(purchase)},"
                + "\"{\"\"amount\"\": 1200.50, \"\"orderId\"\": \"\"SO-1\"\", \"\"currency\"\": \"\"EUR\"\"}\"",
            lines[2]
        );
        // The actor's line break is inside quotes: the record spans two physical lines.
        var awkward = appended[3];
        Assert.Equal(
            $"{awkward.Position},exp-awkward,1,CustomerRegistered,2025-01-06T09:00:00.000000Z,{Instant(awkward.RecordedAt)},"
                + "\"Smith, \"\"J\"\"\nsales\","
                + $"{Hex(awkward)},\"{{\"\"kind\"\": \"\"Individual\"\", \"\"name\"\": \"\"Acme, \\\"\"the\\\"\" firm\\nLtd\"\"}}\"",
            lines[4]
        );
    }

    [Fact]
    public async Task Csv_reads_back_with_an_rfc_4180_reader_to_the_stored_events()
    {
        var appended = await AppendHistoryAsync();

        var (text, _) = await ExportAsync(new ExportRequest { Format = ExportFormat.Csv });

        var records = Rfc4180.Parse(text);
        Assert.Equal(CsvEventRow.Columns, records[0]);
        Assert.Equal(appended.Count, records.Count - 1);
        foreach (var (record, expected) in records.Skip(1).Zip(appended))
        {
            Assert.Equal(9, record.Length);
            Assert.Equal(expected.Position, GlobalPosition.Parse(record[0]));
            Assert.Equal(expected.StreamId, record[1]);
            Assert.Equal(expected.Version, long.Parse(record[2], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(expected.Type, record[3]);
            Assert.Equal(
                expected.OccurredAt,
                DateTimeOffset.Parse(record[4], System.Globalization.CultureInfo.InvariantCulture)
            );
            Assert.Equal(
                expected.RecordedAt,
                DateTimeOffset.Parse(record[5], System.Globalization.CultureInfo.InvariantCulture)
            );
            Assert.Equal(JsonElement.Parse(expected.Metadata).GetProperty("actor").GetString(), record[6]);
            Assert.Equal(Convert.ToHexStringLower(expected.Hash.Span), record[7]);
            Assert.Equal(expected.Data, record[8]);
        }
        Assert.Equal(AwkwardActor, records[4][6]);
        Assert.Equal(AwkwardName, JsonElement.Parse(records[4][8]).GetProperty("name").GetString());
    }

    [Fact]
    public async Task An_export_after_a_position_holds_only_the_events_after_it()
    {
        var appended = await AppendHistoryAsync();

        var (text, result) = await ExportAsync(
            new ExportRequest { Format = ExportFormat.Ndjson, After = appended[1].Position }
        );

        Assert.Equal(appended.Skip(2).Select(e => e.EventId), EventIds(text));
        Assert.Equal(appended[^1].Position, result.Last);
    }

    [Fact]
    public async Task An_export_of_some_types_holds_only_events_of_those_types()
    {
        var appended = await AppendHistoryAsync();

        var (ndjson, _) = await ExportAsync(
            new ExportRequest { Format = ExportFormat.Ndjson, Types = ["PurchaseRecorded"] }
        );
        var (csv, result) = await ExportAsync(
            new ExportRequest { Format = ExportFormat.Csv, Types = ["PurchaseRecorded", "AccountOwnerAssigned"] }
        );

        Assert.Equal(appended.Where(e => e.Type == "PurchaseRecorded").Select(e => e.EventId), EventIds(ndjson));
        Assert.Equal(
            ["PurchaseRecorded", "AccountOwnerAssigned"],
            Rfc4180.Parse(csv).Skip(1).Select(record => record[3])
        );
        Assert.Equal(2, result.Events);
    }

    [Fact]
    public async Task An_export_pages_through_the_log_and_reports_progress_as_it_goes()
    {
        var appended = await AppendHistoryAsync();
        var reports = new List<ExportProgress>();

        var (text, result) = await ExportAsync(
            new ExportRequest { Format = ExportFormat.Ndjson, PageSize = 2 },
            new SynchronousProgress(reports.Add)
        );

        Assert.Equal(appended.Select(e => e.EventId), EventIds(text));
        Assert.Equal(
            [(2L, appended[1].Position), (4L, appended[3].Position), (5L, appended[4].Position)],
            reports.Select(r => (r.Events, r.Position))
        );
        Assert.Equal(new ExportResult(5, appended[4].Position), result);
    }

    [Fact]
    public async Task An_export_with_nothing_to_write_has_only_the_header_and_gives_back_its_position()
    {
        var appended = await AppendHistoryAsync();

        var (csv, result) = await ExportAsync(
            new ExportRequest { Format = ExportFormat.Csv, After = appended[^1].Position }
        );
        var (ndjson, _) = await ExportAsync(
            new ExportRequest { Format = ExportFormat.Ndjson, After = appended[^1].Position }
        );

        Assert.Equal(CsvEventRow.Header, csv);
        Assert.Equal("", ndjson);
        Assert.Equal(new ExportResult(0, appended[^1].Position), result);
    }

    [Fact]
    public async Task The_count_of_an_export_is_what_it_writes()
    {
        var appended = await AppendHistoryAsync();
        var requests = new[]
        {
            new ExportRequest { Format = ExportFormat.Csv },
            new ExportRequest { Format = ExportFormat.Csv, After = appended[2].Position },
            new ExportRequest { Format = ExportFormat.Csv, Types = ["CustomerRegistered"] },
            new ExportRequest
            {
                Format = ExportFormat.Csv,
                After = appended[0].Position,
                Types = ["CustomerRegistered"],
            },
        };

        foreach (var request in requests)
            Assert.Equal((await ExportAsync(request)).Result.Events, await _exporter.CountAsync(request));
        var counts = await Task.WhenAll(requests.Select(r => _exporter.CountAsync(r)));
        Assert.Equal([5L, 2L, 3L, 2L], counts);
    }

    /// <summary>
    /// Five events in three streams, recorded by an actor with a plain name and one whose name (like a
    /// customer's) holds a comma, quotes and a line break; returned as a reader of the log sees them.
    /// </summary>
    private async Task<IReadOnlyList<RecordedEvent>> AppendHistoryAsync()
    {
        var desk = new EventMetadata { Actor = "order-desk" };
        await _ledger.Store.AppendAsync(
            "exp-alpha",
            ExpectedVersion.NoStream,
            [
                new(new CustomerEvent.CustomerRegistered("Alpha AG", CustomerKind.Organization))
                {
                    OccurredAt = Monday,
                    Metadata = desk,
                },
                new(new CustomerEvent.PurchaseRecorded("SO-1", 1200.50m, "EUR"))
                {
                    OccurredAt = Monday.AddDays(1).AddTicks(1_234_567),
                    Metadata = desk,
                },
            ]
        );
        await _ledger.Store.AppendAsync(
            "exp-beta",
            ExpectedVersion.NoStream,
            [new(new CustomerEvent.CustomerRegistered("Beta", CustomerKind.Individual)) { Metadata = desk }]
        );
        await _ledger.Store.AppendAsync(
            "exp-awkward",
            ExpectedVersion.NoStream,
            [
                new(new CustomerEvent.CustomerRegistered(AwkwardName, CustomerKind.Individual))
                {
                    OccurredAt = Monday,
                    Metadata = new EventMetadata { Actor = AwkwardActor },
                },
            ]
        );
        var last = await _ledger.Store.AppendAsync(
            "exp-alpha",
            ExpectedVersion.Exactly(2),
            [new(new CustomerEvent.AccountOwnerAssigned("bob", "coverage")) { Metadata = desk }]
        );
        // Other test classes' transactions on the same server may hold readers of the log back for a moment.
        return await Eventually.ReturnsAsync(
            () => _ledger.Store.ReadAllAsync(GlobalPosition.Start, 100),
            events => events.Count > 0 && events[^1].Position >= last.LastPosition,
            "the history to be readable"
        );
    }

    private async Task<(string Text, ExportResult Result)> ExportAsync(
        ExportRequest request,
        IProgress<ExportProgress>? progress = null
    )
    {
        await using var output = new StringWriter();
        var result = await _exporter.ExportAsync(output, request, progress);
        return (output.ToString(), result);
    }

    private static IEnumerable<Guid> EventIds(string ndjson) =>
        ndjson
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonSerializer.Deserialize<JsonElement>(line).GetProperty("eventId").GetGuid());

    private static string Instant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString(
            "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'",
            System.Globalization.CultureInfo.InvariantCulture
        );

    private static string Hex(RecordedEvent recorded) => Convert.ToHexStringLower(recorded.Hash.Span);

    private sealed class SynchronousProgress(Action<ExportProgress> report) : IProgress<ExportProgress>
    {
        public void Report(ExportProgress value) => report(value);
    }
}
