using RelationshipLedger.Domain.Customers;
using RelationshipLedger.Testing;
using static RelationshipLedger.Domain.Customers.CustomerCommand;
using static RelationshipLedger.Domain.Customers.CustomerEvent;
using static RelationshipLedger.Domain.Tests.TestEvents;

namespace RelationshipLedger.Domain.Tests.Customers;

// domain.md §3: ComplaintFiled { complaintId, category, severity, description };
// ComplaintResolved { complaintId (must be open), resolution, customerAccepted }.
public class ComplaintTests
{
    [Fact]
    public void Filing_a_complaint_records_its_category_severity_and_description()
    {
        var spec = CustomerSpec.GivenRegistered();

        spec.When(
                new FileComplaint("k1", ComplaintCategory.Staff, ComplaintSeverity.High, "rude on the phone")
                {
                    IssuedAt = spec.Now,
                }
            )
            .ThenEvents(new ComplaintFiled("k1", ComplaintCategory.Staff, ComplaintSeverity.High, "rude on the phone"));
    }

    [Fact]
    public void A_complaint_id_used_before_in_the_stream_is_a_conflict()
    {
        var spec = CustomerSpec.GivenRegistered().And(Complaint("k1"), Resolution("k1"));

        spec.When(
                new FileComplaint("k1", ComplaintCategory.Price, ComplaintSeverity.Low, "too expensive")
                {
                    IssuedAt = spec.Now,
                }
            )
            .ThenRejected(RejectionKind.Conflict, "duplicate-complaint");
    }

    [Fact]
    public void Resolving_an_open_complaint_records_the_resolution_and_whether_the_customer_accepted_it()
    {
        var spec = CustomerSpec.GivenRegistered().And(Complaint("k1"));

        spec.When(new ResolveComplaint("k1", "apology and voucher", false) { IssuedAt = spec.Now })
            .ThenEvents(new ComplaintResolved("k1", "apology and voucher", false));
    }

    [Fact]
    public void Resolving_a_complaint_that_was_never_filed_is_refused()
    {
        var spec = CustomerSpec.GivenRegistered().And(Complaint("k1"));

        spec.When(new ResolveComplaint("k2", "redelivered", true) { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Conflict, "unknown-complaint");
    }

    [Fact]
    public void Resolving_an_already_resolved_complaint_is_refused()
    {
        var spec = CustomerSpec.GivenRegistered().And(Complaint("k1"), Resolution("k1"));

        spec.When(new ResolveComplaint("k1", "redelivered again", true) { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Conflict, "complaint-not-open");
    }

    [Fact]
    public void A_resolution_dated_before_the_complaint_was_filed_is_refused()
    {
        var filedAt = new DateTimeOffset(2025, 2, 3, 8, 0, 0, TimeSpan.Zero);
        var spec = CustomerSpec.GivenRegistered().At(filedAt).And(Complaint("k1"));

        spec.When(
                new ResolveComplaint("k1", "redelivered", true)
                {
                    IssuedAt = spec.Now,
                    OccurredAt = filedAt.AddHours(-1),
                }
            )
            .ThenRejected(RejectionKind.Conflict, "resolution-before-complaint");
    }

    [Fact]
    public void A_complaint_needs_a_description_and_a_resolution_needs_a_text()
    {
        var spec = CustomerSpec.GivenRegistered().And(Complaint("k1"));

        var filed = spec.When(
                new FileComplaint("k2", ComplaintCategory.Other, ComplaintSeverity.Low, " ") { IssuedAt = spec.Now }
            )
            .ThenRejected(RejectionKind.Invalid, "invalid-input");
        var resolved = spec.When(new ResolveComplaint("k1", "", true) { IssuedAt = spec.Now })
            .ThenRejected(RejectionKind.Invalid, "invalid-input");

        Assert.Equal(["description"], filed.Errors.Select(e => e.Field));
        Assert.Equal(["resolution"], resolved.Errors.Select(e => e.Field));
    }
}
