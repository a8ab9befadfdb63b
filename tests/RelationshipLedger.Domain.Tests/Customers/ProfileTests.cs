using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Testing;
using static RelationshipLedger.Domain.Customers.CustomerCommand;
using static RelationshipLedger.Domain.Customers.CustomerEvent;

namespace RelationshipLedger.Domain.Tests.Customers;

// domain.md §3: CustomerProfileUpdated carries the changed fields among name, address, contact person,
// phone, email, birthday, preferences.
public class ProfileTests
{
    [Fact]
    public void Updating_the_profile_records_exactly_the_changed_fields()
    {
        var spec = CustomerSpec.GivenRegistered();
        var changes = new ProfileChanges
        {
            Name = "Acme Holding",
            Address = "1 Harbour Road\nHamburg",
            ContactPerson = "Zhang Wei",
            Phone = "+49 (40) 123-456",
            Email = "zhang.wei@acme.example",
            Birthday = new DateOnly(1980, 5, 17),
            Preferences = "no calls before 10",
        };

        spec.When(new UpdateProfile(changes) { IssuedAt = spec.Now }).ThenEvents(new CustomerProfileUpdated(changes));
    }

    [Fact]
    public void A_single_changed_field_is_a_valid_update()
    {
        var spec = CustomerSpec.GivenRegistered();
        var changes = new ProfileChanges { Email = "buyer@acme.example" };

        spec.When(new UpdateProfile(changes) { IssuedAt = spec.Now }).ThenEvents(new CustomerProfileUpdated(changes));
    }

    [Fact]
    public void An_update_that_changes_nothing_is_invalid()
    {
        var spec = CustomerSpec.GivenRegistered();

        var rejection = spec.When(new UpdateProfile(new ProfileChanges()) { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Invalid, "invalid-input");

        Assert.Equal(["profile"], rejection.Errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData("no-at-sign.example")]
    [InlineData("@acme.example")]
    [InlineData("buyer@")]
    [InlineData("buyer@acme@example")]
    [InlineData("buyer @acme.example")]
    public void An_email_that_is_not_an_address_is_invalid(string email)
    {
        var spec = CustomerSpec.GivenRegistered();

        var rejection = spec.When(new UpdateProfile(new ProfileChanges { Email = email }) { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Invalid, "invalid-input");

        Assert.Equal(["email"], rejection.Errors.Select(e => e.Field).Distinct());
    }

    [Theory]
    [InlineData("call me")]
    [InlineData("+-()")]
    [InlineData("030 1234 ext. 5")]
    public void A_phone_number_with_letters_or_without_digits_is_invalid(string phone)
    {
        var spec = CustomerSpec.GivenRegistered();

        var rejection = spec.When(new UpdateProfile(new ProfileChanges { Phone = phone }) { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Invalid, "invalid-input");

        Assert.Equal(["phone"], rejection.Errors.Select(e => e.Field).Distinct());
    }

    [Fact]
    public void A_birthday_after_the_day_the_update_happened_is_invalid()
    {
        // CustomerSpec.Now is 2025-01-06 09:01 UTC: the 7th is tomorrow.
        var spec = CustomerSpec.GivenRegistered();
        var changes = new ProfileChanges { Birthday = new DateOnly(2025, 1, 7) };

        var rejection = spec.When(new UpdateProfile(changes) { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Invalid, "invalid-input");

        Assert.Equal(["birthday"], rejection.Errors.Select(e => e.Field));
    }

    [Fact]
    public void A_birthday_on_the_day_the_update_happened_is_accepted()
    {
        var spec = CustomerSpec.GivenRegistered();
        var changes = new ProfileChanges { Birthday = new DateOnly(2025, 1, 6) };

        spec.When(new UpdateProfile(changes) { IssuedAt = spec.Now }).ThenEvents(new CustomerProfileUpdated(changes));
    }

    [Fact]
    public void A_renamed_customer_needs_a_non_blank_name()
    {
        var spec = CustomerSpec.GivenRegistered();

        var rejection = spec.When(new UpdateProfile(new ProfileChanges { Name = "   " }) { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Invalid, "invalid-input");

        Assert.Equal(["name"], rejection.Errors.Select(e => e.Field));
    }
}
