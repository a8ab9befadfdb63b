using System.Globalization;

namespace RelationshipLedger.Application.Overview;

/// <summary>A field of the overview whose value differs between two overviews (values as invariant text, instants ISO-8601).</summary>
public sealed record FieldChange(string Field, string? Before, string? After);

/// <summary>
/// The projected fields of <see cref="CustomerOverview"/> an auditor compares — what a timeline step
/// changed, what a correction changed — by their JSON names.
/// </summary>
public static class OverviewFields
{
    private static readonly (string Field, Func<CustomerOverview, object?> Read)[] Fields =
    [
        ("name", o => o.Name),
        ("kind", o => o.Kind),
        ("tier", o => o.Tier),
        ("tierSince", o => o.TierSince),
        ("engagementType", o => o.EngagementType),
        ("lifecycleStage", o => o.LifecycleStage),
        ("stageSince", o => o.StageSince),
        ("owner", o => o.Owner),
        ("satisfaction.latestRating", o => o.Satisfaction.LatestRating),
        ("satisfaction.csat", o => o.Satisfaction.Csat),
        ("satisfaction.nps", o => o.Satisfaction.Nps),
        ("satisfaction.csatAllTime", o => o.Satisfaction.CsatAllTime),
        ("satisfaction.npsAllTime", o => o.Satisfaction.NpsAllTime),
        ("satisfaction.trend", o => o.Satisfaction.Trend),
        ("satisfaction.openComplaints", o => o.Satisfaction.OpenComplaints),
        ("careTier", o => o.CareTier?.Tier),
        ("churnRisk", o => o.ChurnRisk is null ? null : string.Join(",", o.ChurnRisk)),
    ];

    /// <summary>The fields whose values differ; every field of <paramref name="after"/> when <paramref name="before"/> is null.</summary>
    public static IReadOnlyList<FieldChange> Differences(CustomerOverview? before, CustomerOverview? after)
    {
        var changes = new List<FieldChange>();
        foreach (var (field, read) in Fields)
        {
            var old = before is null ? null : Format(read(before));
            var @new = after is null ? null : Format(read(after));
            if (old != @new)
                changes.Add(new FieldChange(field, old, @new));
        }
        return changes;
    }

    private static string? Format(object? value) =>
        value switch
        {
            null => null,
            DateTimeOffset instant => instant.UtcDateTime.ToString(
                "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
                CultureInfo.InvariantCulture
            ),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
}
