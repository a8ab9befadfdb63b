using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Testing;
using static RelationshipLedger.Domain.Customers.CustomerCommand;
using static RelationshipLedger.Domain.Customers.CustomerEvent;
using static RelationshipLedger.Domain.Tests.TestEvents;

namespace RelationshipLedger.Domain.Tests.Customers;

// Bad input is Invalid (400) and names the fields at fault as the API calls them; nothing is appended.
// Ids are 1–64 characters, names at most 200, single-line text has no control characters.
public class FieldValidationTests
{
    private static readonly DateTimeOffset Now = CustomerSpec.Start.AddHours(1);
    private static readonly string Id64 = new('x', 64);
    private static readonly string Id65 = new('x', 65);

    // A registered customer with order o1 and open complaint k1, so only the fields can be at fault.
    private static CustomerSpec Customer() => CustomerSpec.GivenRegistered().And(Purchase("o1", 100m), Complaint("k1"));

    private static void ThenInvalid(CustomerCommand command, params string[] fields)
    {
        var rejection = Customer().When(command).ThenRejected(RejectionKind.Invalid, "invalid-input");
        Assert.Equal(fields.Order(), rejection.Errors.Select(e => e.Field).Distinct().Order());
    }

    public static TheoryData<string> BadIds => ["", "   ", Id65, "o\u0007rder", "line\nbreak"];

    [Theory]
    [MemberData(nameof(BadIds))]
    public void A_blank_oversized_or_control_character_id_is_invalid_in_every_command(string id)
    {
        ThenInvalid(new RecordPurchase(id, 10m, "EUR") { IssuedAt = Now }, "orderId");
        ThenInvalid(new RefundPurchase(id, 10m, "returned") { IssuedAt = Now }, "orderId");
        ThenInvalid(
            new RecordContact(id, ContactChannel.Phone, ContactInitiator.Company, ContactPurpose.Sales)
            {
                IssuedAt = Now,
            },
            "contactId"
        );
        ThenInvalid(
            new FileComplaint(id, ComplaintCategory.Product, ComplaintSeverity.Low, "broken") { IssuedAt = Now },
            "complaintId"
        );
        ThenInvalid(new ResolveComplaint(id, "replaced", true) { IssuedAt = Now }, "complaintId");
        ThenInvalid(new RecordSurvey(id, 4) { IssuedAt = Now }, "surveyId");
        ThenInvalid(new AssignOwner(id, "hand-over") { IssuedAt = Now }, "ownerId");
    }

    [Fact]
    public void An_id_of_sixty_four_characters_is_accepted()
    {
        Customer()
            .When(new RecordPurchase(Id64, 10m, "EUR") { IssuedAt = Now })
            .ThenEvents(new PurchaseRecorded(Id64, 10m, "EUR"));
    }

    [Fact]
    public void A_registration_with_a_bad_owner_id_is_invalid()
    {
        var rejection = CustomerSpec
            .Given()
            .When(new RegisterCustomer("Acme", CustomerKind.Organization, OwnerId: Id65) { IssuedAt = Now })
            .ThenRejected(RejectionKind.Invalid, "invalid-input");

        Assert.Equal(["ownerId"], rejection.Errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("Acme\nCorp")]
    [InlineData("Acme\tCorp")]
    [InlineData("Acme\u0000")]
    public void A_name_that_is_blank_or_has_control_characters_is_invalid(string name)
    {
        var rejection = CustomerSpec
            .Given()
            .When(new RegisterCustomer(name, CustomerKind.Individual) { IssuedAt = Now })
            .ThenRejected(RejectionKind.Invalid, "invalid-input");

        Assert.Equal(["name"], rejection.Errors.Select(e => e.Field));
    }

    [Fact]
    public void A_name_of_two_hundred_characters_is_accepted_and_one_more_is_invalid()
    {
        var name200 = new string('n', 200);
        CustomerSpec
            .Given()
            .When(new RegisterCustomer(name200, CustomerKind.Individual) { IssuedAt = Now })
            .ThenEvents(new CustomerRegistered(name200, CustomerKind.Individual));

        var rejection = CustomerSpec
            .Given()
            .When(new RegisterCustomer(name200 + "n", CustomerKind.Individual) { IssuedAt = Now })
            .ThenRejected(RejectionKind.Invalid, "invalid-input");
        Assert.Equal(["name"], rejection.Errors.Select(e => e.Field));
    }

    [Fact]
    public void Oversized_segment_and_source_are_invalid()
    {
        var tooLong = new string('s', 201);

        var rejection = CustomerSpec
            .Given()
            .When(new RegisterCustomer("Acme", CustomerKind.Organization, tooLong, tooLong) { IssuedAt = Now })
            .ThenRejected(RejectionKind.Invalid, "invalid-input");

        Assert.Equal(["segment", "source"], rejection.Errors.Select(e => e.Field));
    }

    [Fact]
    public void Every_field_at_fault_is_reported_at_once()
    {
        var rejection = CustomerSpec
            .Given()
            .When(new RegisterCustomer("", (CustomerKind)9) { IssuedAt = Now })
            .ThenRejected(RejectionKind.Invalid, "invalid-input");

        Assert.Equal(["kind", "name"], rejection.Errors.Select(e => e.Field).Order());
    }

    [Fact]
    public void Line_breaks_and_tabs_are_allowed_in_notes_but_other_control_characters_are_not()
    {
        Customer()
            .When(
                new RecordContact(
                    "c1",
                    ContactChannel.Meeting,
                    ContactInitiator.Company,
                    ContactPurpose.Advice,
                    Notes: "agenda:\r\n\t1. pricing"
                )
                {
                    IssuedAt = Now,
                }
            )
            .ThenEvents(
                new ContactRecorded(
                    "c1",
                    ContactChannel.Meeting,
                    ContactInitiator.Company,
                    ContactPurpose.Advice,
                    Notes: "agenda:\r\n\t1. pricing"
                )
            );

        ThenInvalid(
            new RecordContact(
                "c1",
                ContactChannel.Meeting,
                ContactInitiator.Company,
                ContactPurpose.Advice,
                Notes: "bell\u0007"
            )
            {
                IssuedAt = Now,
            },
            "notes"
        );
    }

    [Fact]
    public void Texts_longer_than_their_limits_are_invalid()
    {
        var text4001 = new string('t', 4001);
        var reason1001 = new string('r', 1001);

        ThenInvalid(
            new FileComplaint("k2", ComplaintCategory.Product, ComplaintSeverity.Low, text4001) { IssuedAt = Now },
            "description"
        );
        ThenInvalid(new RefundPurchase("o1", 10m, reason1001) { IssuedAt = Now }, "reason");
        ThenInvalid(new RecordSurvey("s1", 4, Comment: text4001) { IssuedAt = Now }, "comment");
        ThenInvalid(new EndRelationship(EndCause.Other, text4001) { IssuedAt = Now }, "notes");
    }

    [Fact]
    public void Amounts_above_the_largest_accepted_are_invalid()
    {
        ThenInvalid(new RecordPurchase("o2", 1_000_000_000_000.0001m, "EUR") { IssuedAt = Now }, "amount");
    }

    [Fact]
    public void Costs_and_budgets_with_more_than_four_decimals_are_invalid()
    {
        ThenInvalid(
            new RecordContact("c1", ContactChannel.Gift, ContactInitiator.Company, ContactPurpose.Care, Cost: 1.00001m)
            {
                IssuedAt = Now,
            },
            "cost"
        );
        ThenInvalid(new AssignCareTier(2, 600.12345m) { IssuedAt = Now }, "annualBudget");
    }

    [Fact]
    public void Undefined_enum_values_cast_from_integers_are_invalid()
    {
        ThenInvalid(
            new RecordContact("c1", (ContactChannel)8, ContactInitiator.Company, ContactPurpose.Sales)
            {
                IssuedAt = Now,
            },
            "channel"
        );
        ThenInvalid(
            new RecordContact("c1", ContactChannel.Phone, (ContactInitiator)2, ContactPurpose.Sales) { IssuedAt = Now },
            "initiator"
        );
        ThenInvalid(
            new RecordContact("c1", ContactChannel.Phone, ContactInitiator.Company, (ContactPurpose)7)
            {
                IssuedAt = Now,
            },
            "purpose"
        );
        ThenInvalid(
            new RecordContact(
                "c1",
                ContactChannel.Phone,
                ContactInitiator.Company,
                ContactPurpose.Care,
                (CareOccasion)(-1)
            )
            {
                IssuedAt = Now,
            },
            "occasion"
        );
        ThenInvalid(
            new FileComplaint("k2", (ComplaintCategory)6, ComplaintSeverity.Low, "broken") { IssuedAt = Now },
            "category"
        );
        ThenInvalid(
            new FileComplaint("k2", ComplaintCategory.Product, (ComplaintSeverity)4, "broken") { IssuedAt = Now },
            "severity"
        );
        ThenInvalid(new ChangeTier((RelationshipTier)4, "review", "board") { IssuedAt = Now }, "to");
        ThenInvalid(new EndRelationship((EndCause)6) { IssuedAt = Now }, "cause");
    }
}
