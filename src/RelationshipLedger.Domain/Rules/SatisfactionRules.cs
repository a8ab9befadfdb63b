using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Domain.Rules;

public enum SatisfactionSource
{
    Survey,
    Complaint,
    Resolution,
}

public enum SatisfactionTrend
{
    Stable,
    Improving,
    Worsening,
}

/// <summary>One point of the satisfaction history.</summary>
public sealed record SatisfactionPoint(
    DateTimeOffset At,
    SatisfactionSource Source,
    int? Rating,
    int? Recommend,
    string? ComplaintId,
    long Version
);

/// <summary>
/// The satisfaction headline (domain.md §2.4): CSAT (% of ratings 4–5) and NPS (% promoters 9–10
/// minus % detractors 0–6) over the trailing 365 days and over all time, rounded to two decimals;
/// null where there is nothing to measure.
/// </summary>
public sealed record SatisfactionSummary(
    int? LatestRating,
    decimal? Csat,
    decimal? Nps,
    decimal? CsatAllTime,
    decimal? NpsAllTime,
    SatisfactionTrend Trend,
    int OpenComplaints,
    TimeSpan? MeanTimeToResolve
);

public static class SatisfactionRules
{
    public static readonly TimeSpan TrailingWindow = TimeSpan.FromDays(365);

    public static SatisfactionSummary SummaryAt(CustomerState state, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(state);
        var surveys = SurveysUpTo(state, asOf);
        var after = asOf.Minus(TrailingWindow);
        var trailing = surveys.Where(s => s.Moment.At > after).ToArray();
        var complaints = state.Complaints.Values.Where(c => c.Filed.At <= asOf).ToArray();
        var resolved = complaints.Where(c => c.Resolved is { } r && r.At <= asOf).ToArray();
        return new SatisfactionSummary(
            surveys.LastOrDefault()?.Rating,
            Csat(trailing),
            Nps(trailing),
            Csat(surveys),
            Nps(surveys),
            TrendOf(surveys),
            complaints.Length - resolved.Length,
            resolved.Length == 0
                ? null
                : TimeSpan.FromTicks((long)resolved.Average(c => (c.Resolved!.Value.At - c.Filed.At).Ticks))
        );
    }

    /// <summary>Every survey, complaint and resolution up to <paramref name="asOf"/>, in business-time order.</summary>
    public static IReadOnlyList<SatisfactionPoint> HistoryUpTo(CustomerState state, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(state);
        var surveys = state.Surveys.Select(s => new SatisfactionPoint(
            s.Moment.At,
            SatisfactionSource.Survey,
            s.Rating,
            s.Recommend,
            null,
            s.Moment.Version
        ));
        var filed = state.Complaints.Values.Select(c => new SatisfactionPoint(
            c.Filed.At,
            SatisfactionSource.Complaint,
            null,
            null,
            c.ComplaintId,
            c.Filed.Version
        ));
        var resolutions = state
            .Complaints.Values.Where(c => c.Resolved is not null)
            .Select(c => new SatisfactionPoint(
                c.Resolved!.Value.At,
                SatisfactionSource.Resolution,
                null,
                null,
                c.ComplaintId,
                c.Resolved.Value.Version
            ));
        return
        [
            .. surveys
                .Concat(filed)
                .Concat(resolutions)
                .Where(p => p.At <= asOf)
                .OrderBy(p => p.At)
                .ThenBy(p => p.Version),
        ];
    }

    /// <summary>The last of the latest three ratings minus the first of them.</summary>
    public static SatisfactionTrend TrendOf(IReadOnlyList<SurveyFact> surveysInOrder)
    {
        ArgumentNullException.ThrowIfNull(surveysInOrder);
        var latest = surveysInOrder.TakeLast(3).ToArray();
        if (latest.Length < 2)
            return SatisfactionTrend.Stable;
        return (latest[^1].Rating - latest[0].Rating) switch
        {
            > 0 => SatisfactionTrend.Improving,
            < 0 => SatisfactionTrend.Worsening,
            _ => SatisfactionTrend.Stable,
        };
    }

    private static SurveyFact[] SurveysUpTo(CustomerState state, DateTimeOffset asOf) =>
        [.. state.Surveys.Where(s => s.Moment.At <= asOf).OrderBy(s => s.Moment.At).ThenBy(s => s.Moment.Version)];

    private static decimal? Csat(SurveyFact[] surveys) =>
        surveys.Length == 0 ? null : Percent(surveys.Count(s => s.Rating >= 4), surveys.Length);

    private static decimal? Nps(SurveyFact[] surveys)
    {
        var answers = surveys.Where(s => s.Recommend is not null).Select(s => s.Recommend!.Value).ToArray();
        if (answers.Length == 0)
            return null;
        // One rounding, of the difference: rounding each share first can be off by a hundredth.
        return Percent(answers.Count(r => r >= 9) - answers.Count(r => r <= 6), answers.Length);
    }

    private static decimal Percent(int part, int whole) =>
        Math.Round(100m * part / whole, 2, MidpointRounding.AwayFromZero);
}
