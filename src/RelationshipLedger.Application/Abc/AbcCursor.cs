using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace RelationshipLedger.Application.Abc;

/// <summary>
/// Where a page of the portfolio's customers continues: after (currency, rank), in the order of
/// <c>currency nulls last, rank</c>. Opaque to clients: base64url of <c>v1|currency|rank</c>, with an
/// empty currency for the customers without revenue.
/// </summary>
public sealed record AbcCursor(string? Currency, long Rank)
{
    public string Encode() =>
        Base64Url.EncodeToString(
            Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"v1|{Currency}|{Rank}"))
        );

    public static bool TryParse(string? text, [NotNullWhen(true)] out AbcCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text) || text.Length > 64 || !Base64Url.IsValid(text))
            return false;
        var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split('|');
        if (
            parts is not ["v1", var currency, var rank]
            || !(currency.Length == 0 || (currency.Length == 3 && currency.All(char.IsAsciiLetterUpper)))
            || !long.TryParse(rank, NumberStyles.None, CultureInfo.InvariantCulture, out var after)
            || after < 1
        )
            return false;
        cursor = new AbcCursor(currency.Length == 0 ? null : currency, after);
        return true;
    }
}
