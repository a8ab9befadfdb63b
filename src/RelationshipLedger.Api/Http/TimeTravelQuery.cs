using System.Globalization;
using RelationshipLedger.Application;
using RelationshipLedger.Application.Customers;
using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Api.Http;

/// <summary>
/// The time-travel query parameters: <c>version</c>, <c>asOf</c> (business time) and <c>knownAt</c>
/// (system time). An instant is ISO-8601 with an offset; a plain date (<c>2025-12-31</c>) means the
/// end of that day in UTC, i.e. everything that happened on it.
/// </summary>
public static class TimeTravelQuery
{
    public static (TimeTravel? Travel, IResult? Problem) Parse(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<FieldError>();
        var asOf = Instant(request, "asOf", errors);
        var knownAt = Instant(request, "knownAt", errors);
        long? version = null;
        if (request.Query["version"].ToString() is { Length: > 0 } text)
        {
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= 1)
                version = v;
            else
                errors.Add(new FieldError("version", "must be a whole number from 1."));
        }
        return errors.Count > 0 ? (null, Problems.Invalid(errors)) : (new TimeTravel(version, asOf, knownAt), null);
    }

    public static DateTimeOffset? Instant(HttpRequest request, string name, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(errors);
        var text = request.Query[name].ToString();
        if (text.Length == 0)
            return null;
        if (IsoInstant.TryParseInstantOrDate(text, out var instant))
            return instant;
        errors.Add(new FieldError(name, $"must be {IsoInstant.ExpectedOrDate}."));
        return null;
    }
}
