using RelationshipLedger.Application;

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
        if (IsoInstant.TryParseInstantOrDate(text, out var instant))
            return instant;
        throw new UsageException($"{optionName} '{text}' is not an instant: give {IsoInstant.ExpectedOrDate}.");
    }
}
