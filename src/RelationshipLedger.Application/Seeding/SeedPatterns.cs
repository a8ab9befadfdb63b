using RelationshipLedger.Domain.Customers;

namespace RelationshipLedger.Application.Seeding;

/// <summary>
/// The histories of each <see cref="SeedPattern"/>, written so that the lifecycle rules (domain.md §2.3)
/// put the customer in the pattern's stage as of the seed's "now". Days are counted back from now.
/// </summary>
internal static class SeedPatterns
{
    private static readonly string[] Owners = ["owner-anna", "owner-bruno", "owner-chen", "owner-dalia", "owner-emil"];
    private static readonly string[] Segments = ["Retail", "Manufacturing", "Healthcare", "Logistics", "Hospitality"];
    private static readonly string[] Sources = ["Referral", "TradeFair", "Website", "ColdCall", "Partner"];
    private static readonly string[] Prefixes =
    [
        "Northwind",
        "Bluebird",
        "Harbor",
        "Summit",
        "Lumen",
        "Keystone",
        "Alder",
        "Cobalt",
    ];
    private static readonly string[] Suffixes =
    [
        "Logistics GmbH",
        "Foods AG",
        "Clinics Ltd",
        "Hotels SA",
        "Tools BV",
        "Retail Inc",
    ];
    private static readonly string[] GivenNames = ["Mia", "Jonas", "Lea", "Wei", "Amara", "Lukas", "Sofia", "Ravi"];
    private static readonly string[] FamilyNames = ["Keller", "Moreau", "Novak", "Tanaka", "Okafor", "Rossi", "Berg"];

    public static void Write(SeedPattern pattern, HistoryScript script, bool reactivated)
    {
        switch (pattern)
        {
            case SeedPattern.TrialBuyer:
                TrialBuyer(script);
                break;
            case SeedPattern.GrowingAccount:
                GrowingAccount(script);
                break;
            case SeedPattern.MaturePartner:
                MaturePartner(script);
                break;
            case SeedPattern.DecliningAccount:
                DecliningAccount(script);
                break;
            case SeedPattern.EndedRelationship:
                EndedRelationship(script, reactivated);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(pattern), pattern, "Not a seed pattern.");
        }
    }

    /// <summary>An inquiry, perhaps one purchase with a follow-up call: never two purchases, so Cultivation.</summary>
    private static void TrialBuyer(HistoryScript s)
    {
        var start = s.Between(30, 200);
        Open(s, start, s.Chance(0.5) ? CustomerKind.Individual : CustomerKind.Organization);
        s.Contact(
            s.DaysAgo(start - 1),
            ContactChannel.Email,
            ContactInitiator.Customer,
            ContactPurpose.Sales,
            "Asked for a quote."
        );
        if (s.Chance(0.25))
            return;
        var bought = start - s.Between(3, 10);
        s.Purchase(s.DaysAgo(bought), s.Between(80, 600));
        s.Contact(
            s.DaysAgo(bought - s.Between(2, 9)),
            ContactChannel.Phone,
            ContactInitiator.Company,
            ContactPurpose.FollowUp,
            "Checked the delivery arrived well."
        );
        if (s.Chance(0.5))
            s.Survey(
                s.DaysAgo(bought - 12),
                s.Between(3, 4),
                RepurchaseIntent.Maybe,
                s.Between(5, 8),
                "Fine for a first order."
            );
    }

    /// <summary>First purchase within the last 180 days, then every three to four weeks at rising value: Growth.</summary>
    private static void GrowingAccount(HistoryScript s)
    {
        var count = s.Between(3, 5);
        var days = new List<int> { s.Between(2, 10) };
        for (var i = 1; i < count; i++)
            days.Add(days[^1] + s.Between(18, 28));
        days.Reverse();
        var start = days[0] + s.Between(5, 15);
        Open(s, start, CustomerKind.Organization);
        decimal amount = s.Between(300, 1500);
        string? firstOrder = null;
        foreach (var day in days)
        {
            var order = s.Purchase(s.DaysAgo(day), amount);
            firstOrder ??= order;
            amount *= 1.1m + (s.Between(0, 20) / 100m);
        }
        s.Refund(s.DaysAgo(days[0] - 1), firstOrder!, 25, "One item arrived damaged.");
        s.Contact(
            s.DaysAgo(days[0] - 3),
            ContactChannel.Phone,
            ContactInitiator.Company,
            ContactPurpose.FollowUp,
            "Follow-up on the first order."
        );
        s.Contact(
            s.DaysAgo(days[1] - 2),
            ContactChannel.Email,
            ContactInitiator.Company,
            ContactPurpose.Advice,
            "Suggested a better-fitting product line."
        );
        s.Contact(
            s.DaysAgo(days[^1] + 1),
            ContactChannel.Meeting,
            ContactInitiator.Company,
            ContactPurpose.Advice,
            "Presented the new catalogue."
        );
        s.Contact(
            s.DaysAgo(days[1] + 3),
            ContactChannel.Message,
            ContactInitiator.Customer,
            ContactPurpose.Service,
            "Asked about delivery slots."
        );
        s.Survey(
            s.DaysAgo(days[^1] - 1),
            s.Between(4, 5),
            RepurchaseIntent.Yes,
            s.Between(7, 9),
            "Good service so far."
        );
        if (s.Chance(0.5))
        {
            s.ChangeTier(
                s.DaysAgo(days[1] - 1),
                RelationshipTier.PreferredSupplier,
                "Volume rising; the sales team knows their buyers.",
                "sales-director"
            );
            s.CareTier(s.DaysAgo(days[1] - 2), 3, 300);
            s.Contact(
                s.DaysAgo(days[^1]),
                ContactChannel.Greeting,
                ContactInitiator.Company,
                ContactPurpose.Care,
                "Seasonal greeting card.",
                CareOccasion.Holiday,
                15
            );
        }
    }

    /// <summary>
    /// Two to four years of monthly purchases at slowly rising value (the last within 20 days, so the
    /// recent half-year holds six of them and outweighs the one before), surveys of 4–5, tiers up to
    /// Partner, quarterly joint planning, care touches and a resolved complaint: Maturity.
    /// </summary>
    private static void MaturePartner(HistoryScript s)
    {
        var start = (365 * s.Between(2, 4)) + s.Between(10, 40);
        Open(s, start, CustomerKind.Organization);
        var last = s.Between(2, 20);
        decimal amount = s.Between(800, 4000);
        var orders = new List<(int Day, string Order, decimal Amount)>();
        for (var day = last + ((start - 5 - last) / 30 * 30); day >= last; day -= 30)
        {
            orders.Add((day, s.Purchase(s.DaysAgo(day), amount), amount));
            amount *= 1.01m;
        }
        var refunded = orders.First(o => o.Day > 420);
        s.Refund(
            s.DaysAgo(refunded.Day - 3),
            refunded.Order,
            refunded.Amount * 0.2m,
            "Part of the delivery was short-dated."
        );
        for (var day = start - 90; day > 1; day -= 180)
            s.Survey(s.DaysAgo(day), s.Between(4, 5), RepurchaseIntent.Yes, s.Between(8, 10), "Reliable partner.");
        s.ChangeTier(
            s.DaysAgo(start - 120),
            RelationshipTier.PreferredSupplier,
            "Many key people known; priority delivery agreed.",
            "sales-director"
        );
        s.HandOver(s.DaysAgo(start - 300), Owners, "Account manager moved to another region.");
        s.ChangeTier(
            s.DaysAgo(start - 400),
            RelationshipTier.Partner,
            "Joint action plan signed by both managements.",
            "ceo"
        );
        if (start > 3 * 365 && s.Chance(0.4))
            s.ChangeTier(
                s.DaysAgo(start - 800),
                RelationshipTier.StrategicAlliance,
                "Joint venture for the regional market.",
                "board"
            );
        s.CareTier(s.DaysAgo(start - 400), 1, 1000);
        for (var day = Math.Min(start - 10, 360); day > 1; day -= 90)
            s.Contact(
                s.DaysAgo(day),
                ContactChannel.Meeting,
                ContactInitiator.Company,
                ContactPurpose.JointPlanning,
                "Quarterly joint planning."
            );
        for (var day = start - 30; day > 1; day -= 365)
        {
            s.Contact(
                s.DaysAgo(day),
                ContactChannel.Gift,
                ContactInitiator.Company,
                ContactPurpose.Care,
                "Anniversary gift.",
                CareOccasion.Anniversary,
                s.Between(80, 150)
            );
            s.Contact(
                s.DaysAgo(Math.Max(day - 120, 1)),
                ContactChannel.Event,
                ContactInitiator.Company,
                ContactPurpose.Care,
                "Customer evening.",
                CareOccasion.Holiday,
                s.Between(40, 90)
            );
            s.Contact(
                s.DaysAgo(Math.Max(day - 200, 1)),
                ContactChannel.Visit,
                ContactInitiator.Company,
                ContactPurpose.Care,
                "Site visit.",
                CareOccasion.Visit,
                s.Between(100, 200)
            );
        }
        s.Contact(
            s.DaysAgo(start - 200),
            ContactChannel.Phone,
            ContactInitiator.Customer,
            ContactPurpose.Feedback,
            "Praised the dedicated team."
        );
        var complaint = s.Complaint(
            s.DaysAgo(start - 250),
            ComplaintCategory.Delivery,
            ComplaintSeverity.Medium,
            "Delivery two days late."
        );
        s.Resolve(s.DaysAgo(start - 255), complaint, "Expedited the next delivery free of charge.", true);
    }

    /// <summary>
    /// Developed once (regular monthly purchases), then the gaps lengthen to two and three months and
    /// the customer falls silent for five to eight months; bad surveys and complaints, one unresolved;
    /// the churn watch flags it (<see cref="SeedHistories"/>): Decline.
    /// </summary>
    private static void DecliningAccount(HistoryScript s)
    {
        var days = new List<int> { s.Between(150, 240) };
        days.Add(days[^1] + 100);
        days.Add(days[^1] + 60);
        for (var i = s.Between(7, 9); i > 0; i--)
            days.Add(days[^1] + s.Between(25, 35));
        days.Reverse();
        var start = days[0] + 10;
        Open(s, start, CustomerKind.Organization);
        decimal amount = s.Between(500, 2500);
        foreach (var day in days)
        {
            s.Purchase(s.DaysAgo(day), amount);
            amount *= 0.95m;
        }
        var last = days[^1];
        s.ChangeTier(
            s.DaysAgo(days[4]),
            RelationshipTier.PreferredSupplier,
            "Steady volume; preferential terms.",
            "sales-director"
        );
        s.Survey(s.DaysAgo(days[3] - 2), 4, RepurchaseIntent.Yes, 8, "Happy with the terms.");
        s.Survey(s.DaysAgo(last + 20), 3, RepurchaseIntent.Maybe, 6, "Prices went up.");
        var late = s.Complaint(
            s.DaysAgo(last + 40),
            ComplaintCategory.Price,
            ComplaintSeverity.Medium,
            "Invoice higher than quoted."
        );
        s.Resolve(s.DaysAgo(last + 30), late, "Explained the new price list.", false);
        s.Complaint(
            s.DaysAgo(last - 20),
            ComplaintCategory.Product,
            ComplaintSeverity.Critical,
            "Batch failed quality checks."
        );
        s.Survey(s.DaysAgo(last - 30), 2, RepurchaseIntent.No, 3, "Considering other suppliers.");
        s.Survey(s.DaysAgo(last - 90), 1, RepurchaseIntent.No, 1, "The quality problem is still open.");
        s.Contact(
            s.DaysAgo(last - 25),
            ContactChannel.Phone,
            ContactInitiator.Customer,
            ContactPurpose.Service,
            "Angry call about the failed batch."
        );
        s.Contact(
            s.DaysAgo(last - 60),
            ContactChannel.Visit,
            ContactInitiator.Company,
            ContactPurpose.Sales,
            "Visit to win back volume; no order."
        );
        s.HandOver(s.DaysAgo(last - 70), Owners, "Escalated to a senior account manager.");
        if (s.Chance(0.5))
            s.ChangeTier(
                s.DaysAgo(last - 100),
                RelationshipTier.Transactional,
                "Volume no longer justifies a dedicated team.",
                "sales-director"
            );
    }

    /// <summary>A few purchases, a complaint, then the relationship ends; a reactivated one buys again.</summary>
    private static void EndedRelationship(HistoryScript s, bool reactivated)
    {
        var ended = s.Between(20, 150);
        var start = ended + s.Between(200, 800);
        Open(s, start, s.Chance(0.3) ? CustomerKind.Individual : CustomerKind.Organization);
        var purchases = s.Between(3, 6);
        var day = start - 10;
        for (var i = 0; i < purchases && day > ended + 10; i++, day -= s.Between(25, 45))
            s.Purchase(s.DaysAgo(day), s.Between(200, 900));
        var complaint = s.Complaint(
            s.DaysAgo(ended + 8),
            ComplaintCategory.Staff,
            ComplaintSeverity.High,
            "Rude driver."
        );
        s.Resolve(s.DaysAgo(ended + 5), complaint, "Apologised; driver retrained.", s.Chance(0.5));
        s.Survey(s.DaysAgo(ended + 3), s.Between(1, 3), RepurchaseIntent.No, s.Between(0, 5), "Moving on.");
        var cause = s.Pick(Enum.GetValues<EndCause>());
        s.End(s.DaysAgo(ended), cause, $"Ended: {cause}.");
        if (!reactivated)
            return;
        var back = ended - s.Between(5, Math.Max(6, ended - 5));
        s.Reactivate(s.DaysAgo(back), "Won back with new delivery terms.");
        s.Purchase(s.DaysAgo(Math.Max(back - 2, 1)), s.Between(200, 900));
        s.Contact(
            s.DaysAgo(Math.Max(back - 4, 1)),
            ContactChannel.Phone,
            ContactInitiator.Company,
            ContactPurpose.FollowUp,
            "Welcome-back call."
        );
    }

    /// <summary>Registration, a profile with contact details, and a sales contact.</summary>
    private static void Open(HistoryScript s, int start, CustomerKind kind)
    {
        var person = $"{s.Pick(GivenNames)} {s.Pick(FamilyNames)}";
        var name = kind == CustomerKind.Individual ? person : $"{s.Pick(Prefixes)} {s.Pick(Suffixes)}";
        var registered = s.DaysAgo(start);
        s.Register(registered, name, kind, s.Pick(Segments), s.Pick(Sources), s.Pick(Owners));
        var mailbox = person.Replace(' ', '.').ToLowerInvariant();
        s.Profile(
            registered.AddMinutes(5),
            new ProfileChanges
            {
                ContactPerson = kind == CustomerKind.Organization ? person : null,
                Email = $"{mailbox}@example.com",
                Phone = $"+41 44 {s.Between(100, 999)} {s.Between(10, 99)} {s.Between(10, 99)}",
                Address = $"{s.Between(1, 120)} Market Street",
                Birthday =
                    kind == CustomerKind.Individual
                        ? new DateOnly(s.Between(1950, 2000), s.Between(1, 12), s.Between(1, 28))
                        : null,
            }
        );
    }
}
