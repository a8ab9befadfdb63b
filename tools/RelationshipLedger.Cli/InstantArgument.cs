using System.Globalization;

namespace RelationshipLedger.Cli;

/// <summary>
/// Instants on the command line, read as the API reads them: ISO-8601 with an offset
/// (<c>2026-03-01T09:00:00Z</c>), or a date (<c>2026-03-01</c>) meaning the end of that day in UTC.
/// </summary>
internal static class InstantArgument
{
    public static DateTimeOffset? Parse(string? text, string optionName)
    {
        if (text is null)
            return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero);
        if (
            text.Length > 10
            && HasOffset(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)
            && instant.Year is >= 1900 and <= 9000
        )
            return instant;
        throw new UsageException(
            $"{optionName} '{text}' is not an instant: give an ISO-8601 instant with an offset (2026-03-01T09:00:00Z) or a date (2026-03-01)."
        );
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || text.LastIndexOfAny(['+', '-']) > 10;
}
