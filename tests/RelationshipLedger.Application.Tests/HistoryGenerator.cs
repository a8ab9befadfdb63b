using FsCheck;
using FsCheck.Fluent;
using RelationshipLedger.Domain.Customers;
using static RelationshipLedger.Domain.Customers.CustomerCommand;

namespace RelationshipLedger.Application.Tests;

/// <summary>One step of a generated history: what happens, its parameters, and how many days later (negative: back-dated).</summary>
public sealed record HistoryStep(int Kind, int A, int B, int C, int DaysLater, int Hour);

/// <summary>
/// Customer histories for property tests: random steps turned into commands that refer to earlier
/// orders and complaints, sometimes back-dated, and run through the real handler; the ones the
/// domain refuses append nothing, so every stream produced is valid by construction.
/// </summary>
public static class HistoryGenerator
{
    public static readonly DateTimeOffset Start = new(2023, 1, 2, 9, 0, 0, TimeSpan.Zero);

    public static Gen<HistoryStep> StepGen { get; } =
        from kind in Gen.Choose(0, 15)
        from a in Gen.Choose(0, 1000)
        from b in Gen.Choose(0, 1000)
        from c in Gen.Choose(0, 1000)
        from days in Gen.Frequency((8, Gen.Choose(0, 40)), (1, Gen.Choose(-15, -1)))
        from hour in Gen.Choose(0, 23)
        select new HistoryStep(kind, a, b, c, days, hour);

    public static Gen<HistoryStep[]> HistoryGen(int maxLength) =>
        from length in Gen.Choose(1, maxLength)
        from steps in Gen.ArrayOf(StepGen, length)
        select steps;

    /// <summary>Runs the registration and then every step through the handler; returns the last business instant used.</summary>
    public static async Task<DateTimeOffset> RunAsync(
        Ledger ledger,
        string customerId,
        IReadOnlyList<HistoryStep> steps
    )
    {
        var context = new Customers.CommandContext("generator");
        var at = Start;
        await ledger.Handler.HandleAsync(
            customerId,
            new RegisterCustomer("Generated Ltd", CustomerKind.Organization) { IssuedAt = at },
            context
        );
        var latest = at;
        int orders = 0,
            complaints = 0,
            surveys = 0,
            contacts = 0;
        foreach (var step in steps)
        {
            at = at.AddDays(step.DaysLater).AddHours(step.Hour - at.Hour);
            latest = at > latest ? at : latest;
            CustomerCommand command = (step.Kind % 16) switch
            {
                0 or 1 or 2 or 3 => new RecordPurchase($"o-{++orders}", 10 + (step.A * 7), "EUR")
                {
                    IssuedAt = latest,
                    OccurredAt = at,
                },
                4 => new RefundPurchase($"o-{1 + (step.A % Math.Max(1, orders))}", 1 + (step.B % 200), "returned goods")
                {
                    IssuedAt = latest,
                    OccurredAt = at,
                },
                5 or 6 => new RecordSurvey(
                    $"s-{++surveys}",
                    1 + (step.A % 5),
                    null,
                    step.B % 3 == 0 ? null : step.B % 11
                )
                {
                    IssuedAt = latest,
                    OccurredAt = at,
                },
                7 or 8 => new RecordContact(
                    $"k-{++contacts}",
                    (ContactChannel)(step.A % 8),
                    (ContactInitiator)(step.B % 2),
                    (ContactPurpose)(step.C % 7),
                    step.A % 5 == 0 ? (CareOccasion)(step.B % 4) : null,
                    step.C % 3 == 0 ? step.C : null
                )
                {
                    IssuedAt = latest,
                    OccurredAt = at,
                },
                9 => new FileComplaint(
                    $"c-{++complaints}",
                    (ComplaintCategory)(step.A % 6),
                    (ComplaintSeverity)(step.B % 4),
                    "late delivery"
                )
                {
                    IssuedAt = latest,
                    OccurredAt = at,
                },
                10 => new ResolveComplaint($"c-{1 + (step.A % Math.Max(1, complaints))}", "replaced", step.B % 2 == 0)
                {
                    IssuedAt = latest,
                    OccurredAt = at,
                },
                11 => new ChangeTier((RelationshipTier)(step.A % 4), "reviewed", "head of sales")
                {
                    IssuedAt = latest,
                    OccurredAt = at,
                },
                12 => new AssignCareTier(1 + (step.A % 3), 100 * (1 + (step.B % 10)))
                {
                    IssuedAt = latest,
                    OccurredAt = at,
                },
                13 => new AssignOwner($"owner-{step.A % 4}", "rotation") { IssuedAt = latest, OccurredAt = at },
                14 => step.A % 2 == 0
                    ? new EndRelationship((EndCause)(step.B % 6)) { IssuedAt = latest, OccurredAt = at }
                    : new ReactivateRelationship("won back") { IssuedAt = latest, OccurredAt = at },
                _ => new UpdateProfile(new ProfileChanges { Name = $"Generated {step.A}", Phone = "+49 30 1234" })
                {
                    IssuedAt = latest,
                    OccurredAt = at,
                },
            };
            await ledger.Handler.HandleAsync(customerId, command, context);
        }
        return latest;
    }
}
