using RelationshipLedger.EventStore;

namespace RelationshipLedger.Application.Feed;

public enum ExportFormat
{
    /// <summary>One JSON object per line, the shape of the feed's events (<see cref="AuditEvent"/>).</summary>
    Ndjson,

    /// <summary>RFC 4180 CSV with the fixed columns of <see cref="CsvEventRow.Columns"/>.</summary>
    Csv,
}

/// <summary>What to export: the format, and which part of the global log.</summary>
public sealed record ExportRequest
{
    public required ExportFormat Format { get; init; }

    /// <summary>Export the events after this position (a cursor of the feed, or the last position of an earlier export).</summary>
    public GlobalPosition After { get; init; } = GlobalPosition.Start;

    /// <summary>Only events of these stored type names; null for every type.</summary>
    public IReadOnlyCollection<string>? Types { get; init; }

    /// <summary>Events read per query; at most this many are held in memory at once.</summary>
    public int PageSize { get; init; } = 1000;
}

/// <summary>How far an export has come: events written, and the position of the last one.</summary>
public sealed record ExportProgress(long Events, GlobalPosition Position);

/// <summary>What an export wrote, and the position to continue after next time (the request's own when it wrote nothing).</summary>
public sealed record ExportResult(long Events, GlobalPosition Last);
