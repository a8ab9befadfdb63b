using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace RelationshipLedger.Application.StateHistory;

/// <summary>
/// The opaque cursor of a portfolio page: the last customer id of the page and the instants the pages
/// are about — <c>asOf</c>, and <c>knownAt</c> when asked — so that following pages answer the same
/// question even when <c>asOf</c> defaulted to now. (The first form, <c>p1</c>, had no <c>knownAt</c>;
/// pages are short-lived, so such a cursor is refused as any unknown one: the client starts over.)
/// </summary>
public static class PortfolioCursor
{
    private const string Prefix = "p2";

    public static string Encode(DateTimeOffset asOf, DateTimeOffset? knownAt, string lastCustomerId) =>
        Base64Url.EncodeToString(
            Encoding.UTF8.GetBytes(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{Prefix}|{asOf.UtcTicks}|{knownAt?.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{lastCustomerId}"
                )
            )
        );

    public static bool TryDecode(
        string? text,
        out DateTimeOffset asOf,
        out DateTimeOffset? knownAt,
        out string lastCustomerId
    )
    {
        asOf = default;
        knownAt = null;
        lastCustomerId = "";
        if (string.IsNullOrEmpty(text) || text.Length > 400)
            return false;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return false;
        }
        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        var parts = decoded.Split('|', 4);
        if (
            parts.Length != 4
            || parts[0] != Prefix
            || !TryInstant(parts[1], out var asOfInstant)
            || (parts[2].Length > 0 && !TryInstant(parts[2], out _))
            || parts[3].Length == 0
        )
            return false;
        asOf = asOfInstant;
        knownAt = parts[2].Length > 0 && TryInstant(parts[2], out var known) ? known : null;
        lastCustomerId = parts[3];
        return true;
    }

    private static bool TryInstant(string ticksText, out DateTimeOffset instant)
    {
        instant = default;
        if (
            !long.TryParse(ticksText, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks
        )
            return false;
        instant = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }
}
