using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Testing;
using static RelationshipLedger.Domain.Customers.CustomerCommand;
using static RelationshipLedger.Domain.Customers.CustomerEvent;
using static RelationshipLedger.Domain.Tests.TestEvents;

namespace RelationshipLedger.Domain.Tests.Customers;

// domain.md §3: PurchaseRecorded { orderId, amount (decimal > 0), currency (ISO 4217) }; orderIds are unique.
public class PurchaseTests
{
    [Fact]
    public void Recording_a_purchase_records_its_order_amount_and_currency()
    {
        var spec = CustomerSpec.GivenRegistered();

        spec.When(new RecordPurchase("o1", 1250.75m, "EUR") { IssuedAt = spec.Now })
            .ThenEvents(new PurchaseRecorded("o1", 1250.75m, "EUR"));
    }

    [Fact]
    public void An_order_id_used_before_in_the_stream_is_a_conflict()
    {
        var spec = CustomerSpec.GivenRegistered().And(Purchase("o1", 100m));

        spec.When(new RecordPurchase("o1", 200m, "EUR") { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Conflict, "duplicate-order");
    }

    [Fact]
    public void An_order_id_stays_taken_after_the_order_was_fully_refunded()
    {
        var spec = CustomerSpec.GivenRegistered().And(Purchase("o1", 100m), Refund("o1", 100m));

        spec.When(new RecordPurchase("o1", 100m, "EUR") { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Conflict, "duplicate-order");
    }

    [Fact]
    public void A_purchase_in_another_currency_than_the_accounts_is_a_conflict()
    {
        var spec = CustomerSpec.GivenRegistered().And(Purchase("o1", 100m, "EUR"));

        spec.When(new RecordPurchase("o2", 100m, "USD") { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Conflict, "currency-mismatch");
    }

    [Fact]
    public void Further_purchases_in_the_accounts_currency_are_accepted()
    {
        var spec = CustomerSpec.GivenRegistered().And(Purchase("o1", 100m, "USD"));

        spec.When(new RecordPurchase("o2", 40m, "USD") { IssuedAt = spec.Now })
            .ThenEvents(new PurchaseRecorded("o2", 40m, "USD"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("0.00001")]
    [InlineData("19.99999")]
    public void An_amount_that_is_not_positive_or_has_more_than_four_decimals_is_invalid(string amount)
    {
        var spec = CustomerSpec.GivenRegistered();

        var rejection = spec.When(
                new RecordPurchase(
                    "o1",
                    decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture),
                    "EUR"
                )
                {
                    IssuedAt = spec.Now,
                }
            )
            .ThenRejected(RejectionKind.Invalid, "invalid-input");

        Assert.Equal(["amount"], rejection.Errors.Select(e => e.Field));
    }

    [Fact]
    public void The_smallest_amount_with_four_decimals_is_accepted()
    {
        var spec = CustomerSpec.GivenRegistered();

        spec.When(new RecordPurchase("o1", 0.0001m, "EUR") { IssuedAt = spec.Now })
            .ThenEvents(new PurchaseRecorded("o1", 0.0001m, "EUR"));
    }

    [Theory]
    [InlineData("eur")]
    [InlineData("EU")]
    [InlineData("EURO")]
    [InlineData("E1R")]
    [InlineData("")]
    public void A_currency_that_is_not_three_upper_case_letters_is_invalid(string currency)
    {
        var spec = CustomerSpec.GivenRegistered();

        var rejection = spec.When(new RecordPurchase("o1", 10m, currency) { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Invalid, "invalid-input");

        Assert.Equal(["currency"], rejection.Errors.Select(e => e.Field));
    }
}
