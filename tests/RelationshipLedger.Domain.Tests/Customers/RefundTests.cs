using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Testing;
using static RelationshipLedger.Domain.Customers.CustomerCommand;
using static RelationshipLedger.Domain.Customers.CustomerEvent;
using static RelationshipLedger.Domain.Tests.TestEvents;

namespace RelationshipLedger.Domain.Tests.Customers;

// domain.md §3: PurchaseRefunded { orderId (must exist), amount (≤ what is left of that order), reason };
// refunds never exceed the order.
public class RefundTests
{
    [Fact]
    public void A_partial_refund_of_an_order_is_recorded_with_its_reason()
    {
        var spec = CustomerSpec.GivenRegistered().And(Purchase("o1", 100m));

        spec.When(new RefundPurchase("o1", 30m, "one item damaged") { IssuedAt = spec.Now })
            .ThenEvents(new PurchaseRefunded("o1", 30m, "one item damaged"));
    }

    [Fact]
    public void Refunding_exactly_what_is_left_after_an_earlier_refund_is_accepted()
    {
        // 100 − 30 = 70 left.
        var spec = CustomerSpec.GivenRegistered().And(Purchase("o1", 100m), Refund("o1", 30m));

        spec.When(new RefundPurchase("o1", 70m, "rest returned") { IssuedAt = spec.Now })
            .ThenEvents(new PurchaseRefunded("o1", 70m, "rest returned"));
    }

    [Fact]
    public void A_refund_of_an_order_that_does_not_exist_is_refused()
    {
        var spec = CustomerSpec.GivenRegistered().And(Purchase("o1", 100m));

        spec.When(new RefundPurchase("o2", 10m, "returned") { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Conflict, "unknown-order");
    }

    [Fact]
    public void A_refund_larger_than_the_order_is_refused()
    {
        var spec = CustomerSpec.GivenRegistered().And(Purchase("o1", 100m));

        spec.When(new RefundPurchase("o1", 100.01m, "returned") { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Conflict, "refund-exceeds-order");
    }

    [Fact]
    public void A_refund_larger_than_what_is_left_of_the_order_is_refused()
    {
        // 100 − 30 − 50 = 20 left; 20.01 is too much.
        var spec = CustomerSpec.GivenRegistered().And(Purchase("o1", 100m), Refund("o1", 30m), Refund("o1", 50m));

        spec.When(new RefundPurchase("o1", 20.01m, "returned") { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Conflict, "refund-exceeds-order");
    }

    [Fact]
    public void Nothing_more_can_be_refunded_of_a_fully_refunded_order()
    {
        var spec = CustomerSpec.GivenRegistered().And(Purchase("o1", 100m), Refund("o1", 100m));

        spec.When(new RefundPurchase("o1", 0.01m, "returned") { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Conflict, "refund-exceeds-order");
    }

    [Fact]
    public void A_refund_of_one_order_does_not_reduce_what_is_left_of_another()
    {
        var spec = CustomerSpec.GivenRegistered().And(Purchase("o1", 100m), Purchase("o2", 100m), Refund("o1", 100m));

        spec.When(new RefundPurchase("o2", 100m, "returned") { IssuedAt = spec.Now })
            .ThenEvents(new PurchaseRefunded("o2", 100m, "returned"));
    }

    [Fact]
    public void A_refund_dated_before_its_purchase_is_refused()
    {
        var purchasedAt = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var spec = CustomerSpec.GivenRegistered().At(purchasedAt).And(Purchase("o1", 100m));

        spec.When(
                new RefundPurchase("o1", 10m, "returned")
                {
                    IssuedAt = spec.Now,
                    OccurredAt = purchasedAt.AddTicks(-10),
                }
            )
            .ThenRejected(RejectionKind.Conflict, "refund-before-purchase");
    }

    [Fact]
    public void A_refund_at_the_instant_of_its_purchase_is_accepted()
    {
        var purchasedAt = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var spec = CustomerSpec.GivenRegistered().At(purchasedAt).And(Purchase("o1", 100m));

        spec.When(new RefundPurchase("o1", 10m, "returned") { IssuedAt = spec.Now, OccurredAt = purchasedAt })
            .ThenEvents(new PurchaseRefunded("o1", 10m, "returned"));
    }

    [Theory]
    [InlineData("0", "returned", "amount")]
    [InlineData("-10", "returned", "amount")]
    [InlineData("10", "", "reason")]
    public void A_refund_needs_a_positive_amount_and_a_reason(string amount, string reason, string field)
    {
        var spec = CustomerSpec.GivenRegistered().And(Purchase("o1", 100m));

        var rejection = spec.When(
                new RefundPurchase(
                    "o1",
                    decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture),
                    reason
                )
                {
                    IssuedAt = spec.Now,
                }
            )
            .ThenRejected(RejectionKind.Invalid, "invalid-input");

        Assert.Equal([field], rejection.Errors.Select(e => e.Field));
    }
}
