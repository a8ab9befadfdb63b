using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace RelationshipLedger.Application.StateHistory;

/// <summary>
/// The opaque cursor of a portfolio page: the last customer id of the page and the instant the pages
/// are about, so that following pages answer the same question even when <c>asOf</c> defaulted to now.
/// </summary>
public static class PortfolioCursor
{
    private const string Prefix = "p1";

    public static string Encode(DateTimeOffset asOf, string lastCustomerId) =>
        Base64Url.EncodeToString(
            Encoding.UTF8.GetBytes(
                string.Create(CultureInfo.InvariantCulture, $"{Prefix}|{asOf.UtcTicks}|{lastCustomerId}")
            )
        );

    public static bool TryDecode(string? text, out DateTimeOffset asOf, out string lastCustomerId)
    {
        asOf = default;
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
        var parts = decoded.Split('|', 3);
        if (
            parts.Length != 3
            || parts[0] != Prefix
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks
            || parts[2].Length == 0
        )
            return false;
        asOf = new DateTimeOffset(ticks, TimeSpan.Zero);
        lastCustomerId = parts[2];
        return true;
    }
}
