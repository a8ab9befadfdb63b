using static RelationshipLedger.Domain.Customers.CustomerEvent;

namespace RelationshipLedger.Domain.Customers;

public static partial class CustomerDecider
{
    /// <summary>The state after <paramref name="event"/>, which happened at <paramref name="moment"/>.</summary>
    public static CustomerState Evolve(CustomerState state, CustomerEvent @event, EventMoment moment)
    {
        ArgumentNullException.ThrowIfNull(state);
        var next = @event switch
        {
            CustomerRegistered e => state with
            {
                IsRegistered = true,
                Registered = moment,
                Name = Later(moment, state.NameSetAt) ? e.Name : state.Name,
                NameSetAt = Later(moment, state.NameSetAt) ? moment : state.NameSetAt,
                Kind = e.Kind,
                Segment = e.Segment,
                Source = e.Source,
                OwnerId = e.OwnerId,
                Owners = e.OwnerId is null ? state.Owners : state.Owners.Add(new(e.OwnerId, "registered", moment)),
            },
            CustomerProfileUpdated e => state with
            {
                Name = e.Changes.Name is { } name && Later(moment, state.NameSetAt) ? name : state.Name,
                NameSetAt = e.Changes.Name is not null && Later(moment, state.NameSetAt) ? moment : state.NameSetAt,
                Profile = Apply(state.Profile, e.Changes),
            },
            AccountOwnerAssigned e => state with
            {
                OwnerId = e.OwnerId,
                Owners = state.Owners.Add(new(e.OwnerId, e.Reason, moment)),
            },
            ContactRecorded e => state with
            {
                Contacts = state.Contacts.Add(
                    new(e.ContactId, e.Channel, e.Initiator, e.Purpose, e.Occasion, e.Cost, moment)
                ),
            },
            PurchaseRecorded e => state with
            {
                Currency = state.Currency ?? e.Currency,
                Orders = state.Orders.SetItem(e.OrderId, new Order(e.OrderId, e.Amount, e.Currency, 0m, moment)),
                Purchases = state.Purchases.Add(new(e.OrderId, e.Amount, moment)),
            },
            PurchaseRefunded e => state with
            {
                Orders = state.Orders.TryGetValue(e.OrderId, out var order)
                    ? state.Orders.SetItem(e.OrderId, order with { Refunded = order.Refunded + e.Amount })
                    : state.Orders,
                Refunds = state.Refunds.Add(new(e.OrderId, e.Amount, moment)),
            },
            ComplaintFiled e => state with
            {
                Complaints = state.Complaints.SetItem(
                    e.ComplaintId,
                    new ComplaintFact(e.ComplaintId, e.Category, e.Severity, moment)
                ),
            },
            ComplaintResolved e => state with
            {
                Complaints = state.Complaints.TryGetValue(e.ComplaintId, out var complaint)
                    ? state.Complaints.SetItem(
                        e.ComplaintId,
                        complaint with
                        {
                            Resolved = moment,
                            CustomerAccepted = e.CustomerAccepted,
                        }
                    )
                    : state.Complaints,
            },
            SatisfactionSurveyed e => state with
            {
                Surveys = state.Surveys.Add(new(e.SurveyId, e.Rating, e.Recommend, e.RepurchaseIntent, moment)),
            },
            TierChanged e => state with
            {
                Tier = e.To,
                TierChanges = state.TierChanges.Add(new(e.From, e.To, e.Reason, e.ApprovedBy, moment)),
            },
            CareTierAssigned e => state with
            {
                Care =
                    state.Care is null || Later(moment, state.Care.Moment)
                        ? new(e.Tier, e.AnnualBudget, moment)
                        : state.Care,
            },
            ChurnRiskFlagged e => state with { ChurnFlags = state.ChurnFlags.Add(new(e.Signals, moment)) },
            RelationshipEnded e => state with { Lifecycle = state.Lifecycle.Add(new(true, e.Cause, moment)) },
            RelationshipReactivated => state with { Lifecycle = state.Lifecycle.Add(new(false, null, moment)) },
            PersonalDataErased => PersonalData.Erase(state),
            _ => throw new ArgumentOutOfRangeException(nameof(@event), @event, "Not an event of the v1 catalogue."),
        };
        return next with
        {
            // Folded in business-time order, a back-dated event may come after a later version.
            Version = Math.Max(state.Version, moment.Version),
            LatestOccurredAt = moment.At > state.LatestOccurredAt ? moment.At : state.LatestOccurredAt,
        };
    }

    /// <summary>
    /// Whether <paramref name="moment"/> comes after <paramref name="than"/> in business time
    /// (version breaks ties), so that "the latest" means the same in any fold order.
    /// </summary>
    private static bool Later(EventMoment moment, EventMoment than) =>
        (moment.At, moment.Version).CompareTo((than.At, than.Version)) > 0;

    private static CustomerProfile Apply(CustomerProfile profile, ProfileChanges changes) =>
        new(
            changes.Address ?? profile.Address,
            changes.ContactPerson ?? profile.ContactPerson,
            changes.Phone ?? profile.Phone,
            changes.Email ?? profile.Email,
            changes.Birthday ?? profile.Birthday,
            changes.Preferences ?? profile.Preferences
        );
}
