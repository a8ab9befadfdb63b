using System.Globalization;
using RelationshipLedger.Domain.Customers;
using static RelationshipLedger.Domain.Customers.CustomerCommand;

namespace RelationshipLedger.Application.Seeding;

/// <summary>
/// One customer's history as commands with their business instants, collected in any order and
/// run in time order. Ids (orders, contacts, complaints, surveys) are numbered per customer; every
/// command is issued at the seed's "now" and occurs at its own instant in the past.
/// </summary>
internal sealed class HistoryScript(Random random, DateTimeOffset now)
{
    private readonly List<(DateTimeOffset At, int Order, CustomerCommand Command)> _steps = [];
    private int _orders;
    private int _contacts;
    private int _complaints;
    private int _surveys;

    public Random Random { get; } = random;

    public DateTimeOffset Now { get; } = now;

    public RelationshipTier Tier { get; private set; } = RelationshipTier.Transactional;

    public string Currency { get; init; } = "EUR";

    /// <summary>The account owner the script has reached so far (callers add hand-overs in time order).</summary>
    public string? CurrentOwner { get; private set; }

    /// <summary>The steps in business-time order (ties in the order they were added).</summary>
    public IEnumerable<CustomerCommand> Commands =>
        _steps.OrderBy(s => s.At).ThenBy(s => s.Order).Select(s => s.Command);

    /// <summary>A business-hours instant on the day <paramref name="daysAgo"/> days before now (at least one).</summary>
    public DateTimeOffset DaysAgo(double daysAgo)
    {
        var day = Now.UtcDateTime.Date.AddDays(-Math.Max(1, Math.Round(daysAgo)));
        return new DateTimeOffset(day, TimeSpan.Zero).AddHours(9).AddMinutes(Random.Next(0, 8 * 60));
    }

    public int Between(int min, int max) => Random.Next(min, max + 1);

    public T Pick<T>(IReadOnlyList<T> values) => values[Random.Next(values.Count)];

    public bool Chance(double probability) => Random.NextDouble() < probability;

    public void Register(DateTimeOffset at, string name, CustomerKind kind, string segment, string source, string owner)
    {
        CurrentOwner = owner;
        Add(at, new RegisterCustomer(name, kind, segment, source, owner) { IssuedAt = Now, OccurredAt = at });
    }

    public void Profile(DateTimeOffset at, ProfileChanges changes) =>
        Add(at, new UpdateProfile(changes) { IssuedAt = Now, OccurredAt = at });

    /// <summary>Hands the account over to one of <paramref name="owners"/> other than the current owner.</summary>
    public void HandOver(DateTimeOffset at, IReadOnlyList<string> owners, string reason)
    {
        var next = Pick(owners.Where(o => o != CurrentOwner).ToArray());
        CurrentOwner = next;
        Add(at, new AssignOwner(next, reason) { IssuedAt = Now, OccurredAt = at });
    }

    public void Contact(
        DateTimeOffset at,
        ContactChannel channel,
        ContactInitiator initiator,
        ContactPurpose purpose,
        string notes,
        CareOccasion? occasion = null,
        decimal? cost = null
    ) =>
        Add(
            at,
            new RecordContact($"contact-{++_contacts:000}", channel, initiator, purpose, occasion, cost, notes)
            {
                IssuedAt = Now,
                OccurredAt = at,
            }
        );

    public string Purchase(DateTimeOffset at, decimal amount)
    {
        var orderId = $"order-{++_orders:0000}";
        Add(at, new RecordPurchase(orderId, Math.Round(amount, 2), Currency) { IssuedAt = Now, OccurredAt = at });
        return orderId;
    }

    public void Refund(DateTimeOffset at, string orderId, decimal amount, string reason) =>
        Add(at, new RefundPurchase(orderId, Math.Round(amount, 2), reason) { IssuedAt = Now, OccurredAt = at });

    public string Complaint(
        DateTimeOffset at,
        ComplaintCategory category,
        ComplaintSeverity severity,
        string description
    )
    {
        var complaintId = $"complaint-{++_complaints:000}";
        Add(at, new FileComplaint(complaintId, category, severity, description) { IssuedAt = Now, OccurredAt = at });
        return complaintId;
    }

    public void Resolve(DateTimeOffset at, string complaintId, string resolution, bool accepted) =>
        Add(at, new ResolveComplaint(complaintId, resolution, accepted) { IssuedAt = Now, OccurredAt = at });

    public void Survey(DateTimeOffset at, int rating, RepurchaseIntent intent, int recommend, string comment) =>
        Add(
            at,
            new RecordSurvey($"survey-{++_surveys:000}", rating, intent, recommend, comment)
            {
                IssuedAt = Now,
                OccurredAt = at,
            }
        );

    /// <summary>A tier change from the tier the script has reached so far (callers add them in time order).</summary>
    public void ChangeTier(DateTimeOffset at, RelationshipTier to, string reason, string approvedBy)
    {
        Tier = to;
        Add(at, new ChangeTier(to, reason, approvedBy) { IssuedAt = Now, OccurredAt = at });
    }

    public void CareTier(DateTimeOffset at, int tier, decimal annualBudget) =>
        Add(at, new AssignCareTier(tier, annualBudget) { IssuedAt = Now, OccurredAt = at });

    public void End(DateTimeOffset at, EndCause cause, string notes) =>
        Add(at, new EndRelationship(cause, notes) { IssuedAt = Now, OccurredAt = at });

    public void Reactivate(DateTimeOffset at, string reason) =>
        Add(at, new ReactivateRelationship(reason) { IssuedAt = Now, OccurredAt = at });

    public static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private void Add(DateTimeOffset at, CustomerCommand command) => _steps.Add((at, _steps.Count, command));
}
