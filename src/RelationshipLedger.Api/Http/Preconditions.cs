using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace RelationshipLedger.Api.Http;

/// <summary>Stream versions as entity tags: <c>ETag: "7"</c> on answers, <c>If-Match: "7"</c> on commands.</summary>
public static class Preconditions
{
    public static string ETagOf(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// The version an If-Match header insists on: null without the header, and for <c>*</c> (RFC 9110: "the
    /// resource exists", which every command on a customer requires anyway — a missing one is a 404, and
    /// preconditions only ever turn a success into a 412); an error for a malformed one.
    /// </summary>
    public static (long? Version, IResult? Problem) ExpectedVersion(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers[HeaderNames.IfMatch].ToString();
        if (string.IsNullOrWhiteSpace(header) || header.Trim() == "*")
            return (null, null);
        var tag = header.Trim();
        if (tag.StartsWith("W/", StringComparison.Ordinal))
            tag = tag[2..];
        if (long.TryParse(tag.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            return (version, null);
        return (
            null,
            Problems.Invalid("If-Match", "must be the stream version in quotes, as the ETag gave it, e.g. \"7\".")
        );
    }
}
