using System.Globalization;
using System.Text;
using System.Text.Json;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Application.Feed;

/// <summary>
/// An event as one CSV record (RFC 4180: fields with a comma, a quote or a line break are quoted and
/// their quotes doubled; records end with CRLF). The columns are fixed; docs/feed.md describes them.
/// </summary>
public static class CsvEventRow
{
    public const string LineEnd = "\r\n";

    public static IReadOnlyList<string> Columns { get; } =
    ["position", "stream", "version", "type", "occurredAt", "recordedAt", "actor", "hash", "data"];

    public static string Header { get; } = string.Join(',', Columns) + LineEnd;

    /// <summary>The record of <paramref name="recorded"/>; <c>data</c> is the payload's stored jsonb text, the text its hash covers.</summary>
    public static string Format(RecordedEvent recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        var line = new StringBuilder(256 + recorded.Data.Length);
        line.Append(recorded.Position.ToString())
            .Append(',')
            .Append(Quote(recorded.StreamId))
            .Append(',')
            .Append(recorded.Version.ToString(CultureInfo.InvariantCulture))
            .Append(',')
            .Append(Quote(recorded.Type))
            .Append(',')
            .Append(Instant(recorded.OccurredAt))
            .Append(',')
            .Append(Instant(recorded.RecordedAt))
            .Append(',')
            .Append(Quote(ActorOf(recorded.Metadata)))
            .Append(',')
            .Append(Convert.ToHexStringLower(recorded.Hash.Span))
            .Append(',')
            .Append(Quote(recorded.Data))
            .Append(LineEnd);
        return line.ToString();
    }

    /// <summary>The field as RFC 4180 writes it: verbatim, or quoted with its quotes doubled when it needs to be.</summary>
    public static string Quote(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.AsSpan().IndexOfAny(",\"\r\n") < 0
            ? field
            : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>UTC with microseconds, PostgreSQL's resolution: <c>2025-01-06T09:00:00.000000Z</c>.</summary>
    public static string Instant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static string ActorOf(string metadata)
    {
        using var document = JsonDocument.Parse(metadata);
        return
            document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("actor", out var actor)
            && actor.ValueKind == JsonValueKind.String
            ? actor.GetString()!
            : "";
    }
}
