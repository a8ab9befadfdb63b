using System.Globalization;
using RelationshipLedger.Application.Feed;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.EventStore;

namespace RelationshipLedger.Api.Feed;

/// <summary>The feed's parameters: <c>after</c> (or <c>Last-Event-ID</c>), <c>limit</c> and <c>types</c>, each checked with a field error.</summary>
public static class FeedQuery
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
    public const string LastEventIdHeader = "Last-Event-ID";

    private const string CursorRule = "must be a position of the log as the feed gives it, TX-SEQ (e.g. 7412-118).";

    /// <summary><c>after</c>: the cursor to continue after; the start of the log when absent.</summary>
    public static GlobalPosition After(HttpRequest request, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Cursor(request.Query["after"].ToString(), "after", errors) ?? GlobalPosition.Start;
    }

    /// <summary>The <c>Last-Event-ID</c> an EventSource sends when it reconnects; null when absent.</summary>
    public static GlobalPosition? LastEventId(HttpRequest request, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Cursor(request.Headers[LastEventIdHeader].ToString(), LastEventIdHeader, errors);
    }

    public static int Limit(HttpRequest request, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(errors);
        var text = request.Query["limit"].ToString();
        if (text.Length == 0)
            return DefaultLimit;
        if (
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit)
            && limit is >= 1 and <= MaxLimit
        )
            return limit;
        errors.Add(new FieldError("limit", $"must be a whole number from 1 to {MaxLimit}."));
        return DefaultLimit;
    }

    public static EventTypeSelection Types(HttpRequest request, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(errors);
        var filter = EventTypeSelection.Parse(request.Query["types"]);
        if (!filter.IsValid)
            errors.Add(
                new FieldError(
                    "types",
                    $"names event types the ledger does not write: {string.Join(", ", filter.Unknown)}. "
                        + $"Known types: {EventTypeSelection.KnownNames}."
                )
            );
        return filter;
    }

    private static GlobalPosition? Cursor(string text, string field, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (text.Length == 0)
            return null;
        if (GlobalPosition.TryParse(text, out var position))
            return position;
        errors.Add(new FieldError(field, CursorRule));
        return null;
    }
}
