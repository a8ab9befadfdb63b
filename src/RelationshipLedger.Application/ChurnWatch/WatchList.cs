using System.Buffers.Text;
using System.Globalization;
using System.Text;
using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Application.ChurnWatch;

/// <summary>The last contact with a flagged customer at or after its flag (business time).</summary>
public sealed record WatchListContact(
    DateTimeOffset At,
    ContactChannel Channel,
    ContactInitiator Initiator,
    ContactPurpose Purpose
);

/// <summary>A customer on the churn watch list: the signals of its standing flag, when it was flagged, and the last contact since.</summary>
public sealed record WatchListEntry(
    string CustomerId,
    string? Name,
    string? Owner,
    IReadOnlyList<ChurnSignal> Signals,
    DateTimeOffset FlaggedAt,
    long FlagVersion,
    WatchListContact? LastContactSince
);

/// <summary>
/// A page of the watch list, newest flag first, as of <see cref="AsOf"/>. <see cref="NextCursor"/>
/// continues after it; null when the list is exhausted.
/// </summary>
public sealed record WatchListPage(DateTimeOffset AsOf, IReadOnlyList<WatchListEntry> Customers, string? NextCursor);

/// <summary>
/// Where a page of the watch list ends: the flag instant (in ticks, as PostgreSQL's microseconds
/// convert exactly) and the customer id of the last row looked at, as an opaque base64url string.
/// </summary>
public readonly record struct WatchListCursor(long FlaggedAtTicks, string CustomerId)
{
    public const string Rule = "must be a nextCursor the watch list gave.";

    public DateTime FlaggedAtUtc => new(FlaggedAtTicks, DateTimeKind.Utc);

    public override string ToString() =>
        Base64Url.EncodeToString(
            Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{FlaggedAtTicks}:{CustomerId}"))
        );

    public static bool TryParse(string text, out WatchListCursor cursor)
    {
        cursor = default;
        ArgumentNullException.ThrowIfNull(text);
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
        }
        catch (FormatException)
        {
            return false;
        }
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (
            colon <= 0
            || !long.TryParse(decoded[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTime.MaxValue.Ticks
            || !Customers.CustomerId.IsValid(decoded[(colon + 1)..])
        )
            return false;
        cursor = new WatchListCursor(ticks, decoded[(colon + 1)..]);
        return true;
    }
}
