using System.Globalization;
using RelationshipLedger.Api.Http;
using RelationshipLedger.Application.Abc;
using RelationshipLedger.Application.StateHistory;
using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Domain.Rules;

namespace RelationshipLedger.Api.Portfolio;

/// <summary>
/// The portfolio routes' parameters — <c>tier</c>, <c>stage</c>, <c>owner</c>, <c>abc</c>, <c>asOf</c> (default
/// now), <c>knownAt</c> (default: all that is known), <c>limit</c> (1–500, default 50) and <c>cursor</c> —
/// each checked with a field error. A cursor carries the instants of the pages it continues; an
/// <c>asOf</c> or <c>knownAt</c> given with it must be those instants.
/// </summary>
public static class PortfolioQueryParser
{
    private const int MaxOwnerLength = 64;

    public static PortfolioQuery? Parse(
        HttpRequest request,
        DateTimeOffset now,
        List<FieldError> errors,
        string? owner = null
    )
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(errors);
        var tier = Enumerated<RelationshipTier>(request, "tier", errors);
        var stage = Enumerated<LifecycleStage>(request, "stage", errors);
        var abc = Enumerated<AbcClass>(request, "abc", errors);
        owner ??= Owner(request.Query["owner"].ToString(), "owner", errors);
        var asOf = TimeTravelQuery.Instant(request, "asOf", errors);
        var knownAt = TimeTravelQuery.Instant(request, "knownAt", errors);
        var limit = Limit(request, errors);
        string? after = null;
        if (request.Query["cursor"].ToString() is { Length: > 0 } cursor)
        {
            if (!PortfolioCursor.TryDecode(cursor, out var cursorAsOf, out var cursorKnownAt, out var lastCustomerId))
                errors.Add(new FieldError("cursor", "is not a cursor this route gave (use the page's next as it is)."));
            else if (asOf is { } given && given != cursorAsOf)
                errors.Add(
                    new FieldError(
                        "cursor",
                        $"continues the pages as of {cursorAsOf:O}; leave asOf out or send that instant."
                    )
                );
            else if (knownAt is { } givenKnownAt && givenKnownAt != cursorKnownAt)
                errors.Add(
                    new FieldError(
                        "cursor",
                        cursorKnownAt is { } known
                            ? $"continues the pages as known at {known:O}; leave knownAt out or send that instant."
                            : "continues pages of what is known now; leave knownAt out."
                    )
                );
            else
                (asOf, knownAt, after) = (cursorAsOf, cursorKnownAt, lastCustomerId);
        }
        return errors.Count > 0
            ? null
            : new PortfolioQuery(asOf ?? now, tier, stage, owner, after, limit, abc, knownAt);
    }

    /// <summary>An owner id as the ledger accepts it: 1–64 characters, no control characters.</summary>
    public static string? Owner(string text, string field, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (text.Length == 0)
            return null;
        if (text.Length <= MaxOwnerLength && !string.IsNullOrWhiteSpace(text) && !text.Any(char.IsControl))
            return text;
        errors.Add(
            new FieldError(field, $"must be an owner id: 1–{MaxOwnerLength} characters, no control characters.")
        );
        return null;
    }

    private static int Limit(HttpRequest request, List<FieldError> errors)
    {
        var text = request.Query["limit"].ToString();
        if (text.Length == 0)
            return PortfolioQuery.DefaultLimit;
        if (
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit)
            && limit is >= 1 and <= PortfolioQuery.MaxLimit
        )
            return limit;
        errors.Add(new FieldError("limit", $"must be a whole number from 1 to {PortfolioQuery.MaxLimit}."));
        return PortfolioQuery.DefaultLimit;
    }

    /// <summary>An enum value by its name (any case); numbers are refused, as they name nothing.</summary>
    private static TEnum? Enumerated<TEnum>(HttpRequest request, string field, List<FieldError> errors)
        where TEnum : struct, Enum
    {
        var text = request.Query[field].ToString();
        if (text.Length == 0)
            return null;
        var match = Enum.GetNames<TEnum>()
            .FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        if (match is not null)
            return Enum.Parse<TEnum>(match);
        errors.Add(new FieldError(field, $"is not one of {string.Join(", ", Enum.GetNames<TEnum>())}."));
        return null;
    }
}
