namespace RelationshipLedger.Application.Seeding;

/// <summary>The kinds of relationship the seeder writes, each aimed at one lifecycle stage as of the seed's "now".</summary>
public enum SeedPattern
{
    /// <summary>Inquiries and at most one purchase: Cultivation.</summary>
    TrialBuyer,

    /// <summary>A few months old, regular purchases of rising value: Growth.</summary>
    GrowingAccount,

    /// <summary>Years of monthly purchases, good surveys, Partner-level tier and joint planning: Maturity.</summary>
    MaturePartner,

    /// <summary>Developed once, then a lengthening purchase cycle, bad surveys and complaints, flagged: Decline.</summary>
    DecliningAccount,

    /// <summary>A short history that ended (Ended); some are reactivated and buy again.</summary>
    EndedRelationship,
}

/// <summary>How customers are spread over the patterns: a fixed rotation of ten, so any ten consecutive customers hold every pattern.</summary>
public static class SeedMix
{
    private static readonly SeedPattern[] Rotation =
    [
        SeedPattern.TrialBuyer,
        SeedPattern.GrowingAccount,
        SeedPattern.MaturePartner,
        SeedPattern.GrowingAccount,
        SeedPattern.DecliningAccount,
        SeedPattern.TrialBuyer,
        SeedPattern.MaturePartner,
        SeedPattern.EndedRelationship,
        SeedPattern.GrowingAccount,
        SeedPattern.DecliningAccount,
    ];

    public static SeedPattern PatternOf(int index) => Rotation[index % Rotation.Length];

    /// <summary>Every third ended relationship (by its place in the rotation) is won back.</summary>
    public static bool IsReactivated(int index) => index / Rotation.Length % 3 == 2;
}
