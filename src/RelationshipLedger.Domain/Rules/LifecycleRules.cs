using System.Globalization;

namespace RelationshipLedger.Domain.Rules;

public enum LifecycleStage
{
    Cultivation,
    Growth,
    Maturity,
    Decline,
    Ended,
}

/// <summary>
/// The thresholds of the lifecycle rules (domain.md §2.3, rules v1). A read model records
/// <see cref="Version"/>, which names the rule set and, when thresholds differ from the defaults,
/// a fingerprint of them, so a model built under other thresholds is never mistaken for this one.
/// </summary>
public sealed record LifecycleRules
{
    public const int RuleSetVersion = 1;

    public static LifecycleRules Default { get; } = new();

    /// <summary>W: the window of "recent" revenue, and half the window of "a year of silence".</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromDays(180);

    /// <summary>Decline when recent &lt; this × previous.</summary>
    public decimal DeclineRevenueFactor { get; init; } = 0.5m;

    /// <summary>Decline when, with at least <see cref="CycleMinimumPurchases"/>, the time since the last purchase exceeds this × the median interval.</summary>
    public decimal CycleLengtheningFactor { get; init; } = 2m;

    public int CycleMinimumPurchases { get; init; } = 3;

    /// <summary>Decline when the mean of the last <see cref="DeclineRatingCount"/> ratings is at most this.</summary>
    public decimal DeclineRatingMean { get; init; } = 2m;

    public int DeclineRatingCount { get; init; } = 2;

    public int MaturityMinimumPurchases { get; init; } = 6;

    public TimeSpan MaturityMinimumAge { get; init; } = TimeSpan.FromDays(365);

    public decimal MaturityRevenueFactor { get; init; } = 0.8m;

    public decimal MaturityRatingMean { get; init; } = 4m;

    public int MaturityRatingCount { get; init; } = 3;

    public int GrowthMinimumPurchases { get; init; } = 2;

    public string Version =>
        this == Default ? $"lifecycle-v{RuleSetVersion}" : $"lifecycle-v{RuleSetVersion}+{Fingerprint()}";

    private string Fingerprint() =>
        string.Create(
                CultureInfo.InvariantCulture,
                $"{Window.TotalDays}-{DeclineRevenueFactor}-{CycleLengtheningFactor}-{CycleMinimumPurchases}-{DeclineRatingMean}-{DeclineRatingCount}-{MaturityMinimumPurchases}-{MaturityMinimumAge.TotalDays}-{MaturityRevenueFactor}-{MaturityRatingMean}-{MaturityRatingCount}-{GrowthMinimumPurchases}"
            )
            .Replace('.', '_');
}
