using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Domain.Rules;

/// <summary>
/// A customer's facts sorted by business time, ready to answer the rules at any instant: revenue
/// windows, purchase count and cycle, the latest ratings, the lifecycle status. Built once per state.
/// </summary>
internal sealed class CustomerFacts
{
    private readonly TimeSeries _purchases;
    private readonly TimeSeries _refunds;
    private readonly SurveyFact[] _surveys;
    private readonly LifecycleFact[] _lifecycle;

    public CustomerFacts(CustomerState state)
    {
        State = state;
        _purchases = new TimeSeries(state.Purchases.Select(p => (p.Moment.At, p.Amount)));
        _refunds = new TimeSeries(state.Refunds.Select(r => (r.Moment.At, r.Amount)));
        _surveys = [.. state.Surveys.OrderBy(s => s.Moment.At).ThenBy(s => s.Moment.Version)];
        _lifecycle = [.. state.Lifecycle.OrderBy(l => l.Moment.At).ThenBy(l => l.Moment.Version)];
    }

    public CustomerState State { get; }

    public IReadOnlyList<DateTimeOffset> PurchaseTimes => _purchases.Times;

    public IReadOnlyList<DateTimeOffset> RefundTimes => _refunds.Times;

    /// <summary>Purchases minus refunds in (<paramref name="after"/>, <paramref name="upTo"/>].</summary>
    public decimal NetRevenue(DateTimeOffset after, DateTimeOffset upTo) =>
        _purchases.SumIn(after, upTo) - _refunds.SumIn(after, upTo);

    public int PurchasesUpTo(DateTimeOffset instant) => _purchases.CountUpTo(instant);

    public int PurchasesIn(DateTimeOffset after, DateTimeOffset upTo) => _purchases.CountIn(after, upTo);

    public DateTimeOffset? FirstPurchase => _purchases.Times.Count > 0 ? _purchases.Times[0] : null;

    public DateTimeOffset? LastPurchaseUpTo(DateTimeOffset instant) =>
        PurchasesUpTo(instant) is var count and > 0 ? _purchases.Times[count - 1] : null;

    /// <summary>The median interval between consecutive purchases up to <paramref name="instant"/> (mean of the middle two for an even count).</summary>
    public TimeSpan? PurchaseCycleUpTo(DateTimeOffset instant)
    {
        var count = PurchasesUpTo(instant);
        if (count < 2)
            return null;
        var intervals = new long[count - 1];
        for (var i = 1; i < count; i++)
            intervals[i - 1] = (_purchases.Times[i] - _purchases.Times[i - 1]).Ticks;
        Array.Sort(intervals);
        var middle = intervals.Length / 2;
        return intervals.Length % 2 == 1
            ? TimeSpan.FromTicks(intervals[middle])
            : TimeSpan.FromTicks((intervals[middle - 1] + intervals[middle]) / 2);
    }

    /// <summary>The mean of the last <paramref name="count"/> ratings up to <paramref name="instant"/> (of as many as exist), or null without any.</summary>
    public decimal? MeanOfLastRatings(DateTimeOffset instant, int count)
    {
        var last = SurveysUpTo(instant).TakeLast(count).ToArray();
        return last.Length == 0 ? null : (decimal)last.Sum(s => s.Rating) / last.Length;
    }

    public IEnumerable<SurveyFact> SurveysUpTo(DateTimeOffset instant) =>
        _surveys.TakeWhile(s => s.Moment.At <= instant);

    /// <summary>Whether the latest lifecycle event up to <paramref name="instant"/> is <c>RelationshipEnded</c>.</summary>
    public bool EndedAt(DateTimeOffset instant)
    {
        var last = _lifecycle.LastOrDefault(l => l.Moment.At <= instant);
        return last is { Ended: true };
    }
}
