using RelationshipLedger.Domain.Rules;
using static RelationshipLedger.Domain.Customers.CustomerCommand;
using static RelationshipLedger.Domain.Customers.CustomerEvent;

namespace RelationshipLedger.Domain.Customers;

/// <summary>The customer stream's decider: pure <see cref="Decide"/> and <see cref="Evolve"/>.</summary>
public static partial class CustomerDecider
{
    /// <summary>How far in the future a command's business time may be, for callers whose clocks run ahead.</summary>
    public static readonly TimeSpan AllowedClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>The events that carry out <paramref name="command"/> on <paramref name="state"/>, or why it is refused.</summary>
    public static Decision Decide(CustomerCommand command, CustomerState state)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(state);
        if (Validate(command) is { Count: > 0 } errors)
            return Rejection.Invalid(errors);
        if (command is RegisterCustomer register)
            return state.IsRegistered
                ? Rejection.Conflict(
                    "already-registered",
                    "This customer is already registered; a stream has exactly one registration."
                )
                : new CustomerRegistered(
                    register.Name,
                    register.Kind,
                    register.Segment,
                    register.Source,
                    register.OwnerId
                );
        if (!state.IsRegistered)
            return Rejection.NotFound("No customer is registered under this id.");
        if (command.EffectiveAt < state.Registered.At)
            return Rejection.Conflict(
                "before-registration",
                $"occurredAt is before the customer was registered ({state.Registered.At:O})."
            );
        if (
            state.IsEnded
            && command is not (ReactivateRelationship or UpdateProfile or AssignOwner or ErasePersonalData)
        )
            return Rejection.Conflict(
                "relationship-ended",
                "The relationship has ended: only a reactivation, a profile update, an owner assignment or an erasure is accepted."
            );
        if (LatestOfItsKind(command, state) is { } latest && command.EffectiveAt < latest)
            return Rejection.Conflict(
                "out-of-order",
                $"This kind of change cannot be dated before the latest one ({latest:O}); record it at or after that instant."
            );
        return DecideOnRegistered(command, state);
    }

    /// <summary>
    /// Tier changes, owner hand-overs and ends/reactivations each form a sequence whose order the
    /// decider relies on (the current tier, owner, status); one dated before the latest of its kind
    /// would make business-time order disagree with the order they were decided in, so it is refused.
    /// A churn flag is judged against the flags and ends before it (the episode rule looks back from
    /// its instant), so one dated before the latest flag or end/reactivation is refused too: an
    /// evaluator whose clock runs behind could otherwise flag an episode another one already flagged.
    /// </summary>
    private static DateTimeOffset? LatestOfItsKind(CustomerCommand command, CustomerState state) =>
        command switch
        {
            ChangeTier => state.TierChanges.Count > 0 ? state.TierChanges.Max(c => c.Moment.At) : null,
            AssignOwner => state.Owners.Count > 0 ? state.Owners.Max(o => o.Moment.At) : null,
            EndRelationship or ReactivateRelationship => state.Lifecycle.Count > 0
                ? state.Lifecycle.Max(l => l.Moment.At)
                : null,
            FlagChurnRisk => state
                .ChurnFlags.Select(f => f.Moment.At)
                .Concat(state.Lifecycle.Select(l => l.Moment.At))
                .Cast<DateTimeOffset?>()
                .Max(),
            _ => null,
        };

    private static Decision DecideOnRegistered(CustomerCommand command, CustomerState state) =>
        command switch
        {
            UpdateProfile c => new CustomerProfileUpdated(c.Changes),
            AssignOwner c when c.OwnerId == state.OwnerId => Rejection.Conflict(
                "already-owner",
                $"'{c.OwnerId}' already owns this account."
            ),
            AssignOwner c => new AccountOwnerAssigned(c.OwnerId, c.Reason),
            RecordContact c when state.HasContact(c.ContactId) => Duplicate("contact", c.ContactId),
            RecordContact c => new ContactRecorded(
                c.ContactId,
                c.Channel,
                c.Initiator,
                c.Purpose,
                c.Occasion,
                c.Cost,
                c.Notes
            ),
            RecordPurchase c when state.Orders.ContainsKey(c.OrderId) => Duplicate("order", c.OrderId),
            RecordPurchase c when state.Currency is { } currency && currency != c.Currency => Rejection.Conflict(
                "currency-mismatch",
                $"This account trades in {currency}; a purchase in {c.Currency} is refused."
            ),
            RecordPurchase c => new PurchaseRecorded(c.OrderId, c.Amount, c.Currency),
            RefundPurchase c => DecideRefund(c, state),
            FileComplaint c when state.Complaints.ContainsKey(c.ComplaintId) => Duplicate("complaint", c.ComplaintId),
            FileComplaint c => new ComplaintFiled(c.ComplaintId, c.Category, c.Severity, c.Description),
            ResolveComplaint c => DecideResolution(c, state),
            RecordSurvey c when state.HasSurvey(c.SurveyId) => Duplicate("survey", c.SurveyId),
            RecordSurvey c => new SatisfactionSurveyed(
                c.SurveyId,
                c.Rating,
                c.RepurchaseIntent,
                c.Recommend,
                c.Comment
            ),
            ChangeTier c when c.To == state.Tier => Rejection.Conflict(
                "tier-unchanged",
                $"The relationship is already at tier {state.Tier}."
            ),
            ChangeTier c => new TierChanged(state.Tier, c.To, c.Reason, c.ApprovedBy),
            AssignCareTier c => new CareTierAssigned(c.Tier, c.AnnualBudget),
            FlagChurnRisk c when ChurnRules.EpisodeOpen(state, c.EffectiveAt) => Rejection.Conflict(
                "churn-already-flagged",
                "A churn risk is already flagged for this customer and it has not recovered since."
            ),
            FlagChurnRisk c => new ChurnRiskFlagged([.. c.Signals.Distinct().Order()]),
            EndRelationship c => new RelationshipEnded(c.Cause, c.Notes),
            ReactivateRelationship when !state.IsEnded => Rejection.Conflict(
                "relationship-not-ended",
                "The relationship has not ended, so it cannot be reactivated."
            ),
            ReactivateRelationship c => new RelationshipReactivated(c.Reason),
            ErasePersonalData c => new PersonalDataErased(c.Reason),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Not a customer command."),
        };

    private static Decision DecideRefund(RefundPurchase command, CustomerState state)
    {
        if (!state.Orders.TryGetValue(command.OrderId, out var order))
            return Rejection.Conflict("unknown-order", $"No purchase with order id '{command.OrderId}' exists.");
        if (command.Amount > order.Remaining)
            return Rejection.Conflict(
                "refund-exceeds-order",
                $"Order '{order.OrderId}' has {order.Remaining} {order.Currency} left to refund; {command.Amount} is too much."
            );
        if (command.EffectiveAt < order.Moment.At)
            return Rejection.Conflict("refund-before-purchase", "A refund cannot occur before its purchase.");
        return new PurchaseRefunded(command.OrderId, command.Amount, command.Reason);
    }

    private static Decision DecideResolution(ResolveComplaint command, CustomerState state)
    {
        if (!state.Complaints.TryGetValue(command.ComplaintId, out var complaint))
            return Rejection.Conflict("unknown-complaint", $"No complaint with id '{command.ComplaintId}' exists.");
        if (!complaint.IsOpen)
            return Rejection.Conflict("complaint-not-open", $"Complaint '{command.ComplaintId}' is already resolved.");
        if (command.EffectiveAt < complaint.Filed.At)
            return Rejection.Conflict(
                "resolution-before-complaint",
                "A complaint cannot be resolved before it was filed."
            );
        return new ComplaintResolved(command.ComplaintId, command.Resolution, command.CustomerAccepted);
    }

    private static Rejection Duplicate(string what, string id) =>
        Rejection.Conflict(
            $"duplicate-{what}",
            $"This customer already has a {what} with id '{id}'; ids are unique within a stream."
        );
}
