using System.Globalization;

namespace RelationshipLedger.Application;

/// <summary>
/// Instants as the ledger accepts them everywhere (HTTP queries, the CLI, imports): ISO-8601 with an
/// explicit offset (<c>2026-03-01T09:00:00Z</c>) — never read in the local time of whichever machine
/// parses it — or, where a question is asked about a day, a date meaning the end of that day in UTC.
/// </summary>
public static class IsoInstant
{
    public const string Expected = "an ISO-8601 instant with an offset (2026-03-01T09:00:00Z)";

    public const string ExpectedOrDate = Expected + " or a date (2026-03-01)";

    /// <summary>An instant with an offset, in the years the ledger handles.</summary>
    public static bool TryParse(string? text, out DateTimeOffset instant)
    {
        instant = default;
        return text is { Length: > 10 }
            && HasOffset(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant)
            && instant.Year is >= 1900 and <= 9000;
    }

    /// <summary>An instant with an offset, or a date read as the last instant of that day in UTC.</summary>
    public static bool TryParseInstantOrDate(string? text, out DateTimeOffset instant)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            instant = new DateTimeOffset(day.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero);
            return true;
        }
        return TryParse(text, out instant);
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || text.LastIndexOfAny(['+', '-']) > 10;
}
