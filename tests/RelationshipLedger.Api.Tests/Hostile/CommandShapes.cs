using System.Text.Json.Nodes;

namespace RelationshipLedger.Api.Tests.Hostile;

/// <summary>What a command field holds, so the generator knows which values are certainly wrong for it.</summary>
public enum FieldKind
{
    /// <summary>A string; <see cref="FieldShape.MaxLength"/>, when known, is the longest the ledger accepts.</summary>
    Text,

    /// <summary>One of an enum's names.</summary>
    Choice,

    /// <summary>An amount that must be positive (or at least zero), at most 10^12, with at most 4 decimals.</summary>
    Amount,

    /// <summary>A whole number in [<see cref="FieldShape.Min"/>, <see cref="FieldShape.Max"/>].</summary>
    Count,

    /// <summary>An instant with an offset, from 1900 to five minutes ahead.</summary>
    Instant,

    /// <summary>A calendar date (a birthday) from 1900 to today.</summary>
    Date,

    /// <summary>true or false.</summary>
    Flag,
}

/// <summary>A field of a command body: its kind, whether it is required, and a value the ledger accepts (null: left out).</summary>
public sealed record FieldShape(
    string Name,
    FieldKind Kind,
    bool Required,
    JsonNode? Valid,
    int? MaxLength = null,
    int Min = 0,
    int Max = 0
);

/// <summary>A command route (as the endpoint data source spells it) and the fields of its body.</summary>
public sealed record CommandShape(string Route, IReadOnlyList<FieldShape> Fields)
{
    /// <summary>The body the ledger accepts: every field with a valid value.</summary>
    public JsonObject ValidBody(string customerId)
    {
        var body = new JsonObject();
        foreach (var field in Fields.Where(f => f.Valid is not null))
            body[field.Name] = field.Name == "customerId" ? customerId : field.Valid!.DeepClone();
        return body;
    }

    /// <summary>
    /// Every command route of the API with its body's fields, as shared/api.md and CustomerDecider.Validate
    /// define them. Refunds name order <c>o-1</c> and resolutions complaint <c>c-1</c> in their routes.
    /// </summary>
    public static IReadOnlyList<CommandShape> All { get; } =
    [
        new(
            "/customers",
            [
                Id("customerId", required: true, "set per customer"),
                Name("name", required: true, "Harbour Logistics"),
                Choice("kind", required: true, "Organization"),
                Name("segment", required: false, "Wholesale"),
                Name("source", required: false, "trade fair"),
                Id("ownerId", required: false, "alice"),
                .. Common(),
            ]
        ),
        new(
            "/customers/{customerId}/profile",
            [
                Name("name", required: false, "Harbour Logistics GmbH"),
                new("address", FieldKind.Text, false, "Kai 1\nHamburg", 1000),
                Name("contactPerson", required: false, "Ana Lima"),
                new("phone", FieldKind.Text, false, "+49 40 123456"),
                new("email", FieldKind.Text, false, "ana@example.com"),
                new("birthday", FieldKind.Date, false, "1980-12-31"),
                new("preferences", FieldKind.Text, false, "Mornings", 4000),
                .. Common(),
            ]
        ),
        new(
            "/customers/{customerId}/owner",
            [Id("ownerId", required: true, "bob"), Reason(required: true), Occurred()]
        ),
        new(
            "/customers/{customerId}/contacts",
            [
                Id("contactId", required: false, "k-1"),
                Choice("channel", required: true, "Phone"),
                Choice("initiator", required: true, "Company"),
                Choice("purpose", required: true, "FollowUp"),
                Choice("occasion", required: false, "Birthday"),
                Amount("cost", required: false, 12.5m),
                new("notes", FieldKind.Text, false, "Called about the next order", 4000),
                .. Common(),
            ]
        ),
        new(
            "/customers/{customerId}/purchases",
            [
                Id("orderId", required: true, "o-2"),
                Amount("amount", required: true, 100.5m),
                new("currency", FieldKind.Text, true, "EUR"),
                .. Common(),
            ]
        ),
        new(
            "/customers/{customerId}/purchases/{orderId}/refunds",
            [Amount("amount", required: true, 1m), Reason(required: true), Occurred()]
        ),
        new(
            "/customers/{customerId}/complaints",
            [
                Id("complaintId", required: true, "c-2"),
                Choice("category", required: true, "Delivery"),
                Choice("severity", required: true, "Medium"),
                new("description", FieldKind.Text, true, "Pallet arrived late", 4000),
                .. Common(),
            ]
        ),
        new(
            "/customers/{customerId}/complaints/{complaintId}/resolution",
            [
                new("resolution", FieldKind.Text, true, "Credited the delivery", 4000),
                new("customerAccepted", FieldKind.Flag, true, true),
                .. Common(),
            ]
        ),
        new(
            "/customers/{customerId}/surveys",
            [
                Id("surveyId", required: true, "s-1"),
                new("rating", FieldKind.Count, true, 4, Min: 1, Max: 5),
                Choice("repurchaseIntent", required: false, "Yes"),
                new("recommend", FieldKind.Count, false, 8, Min: 0, Max: 10),
                new("comment", FieldKind.Text, false, "Good service", 4000),
                .. Common(),
            ]
        ),
        new(
            "/customers/{customerId}/tier",
            [
                Choice("to", required: true, "PreferredSupplier"),
                Name("approvedBy", required: true, "head-of-sales"),
                Reason(required: true),
                Occurred(),
            ]
        ),
        new(
            "/customers/{customerId}/care-tier",
            [
                new("tier", FieldKind.Count, true, 2, Min: 1, Max: 3),
                Amount("annualBudget", required: true, 600m),
                .. Common(),
            ]
        ),
        new(
            "/customers/{customerId}/end",
            [
                Choice("cause", required: true, "Competitor"),
                new("notes", FieldKind.Text, false, "Moved to a competitor", 4000),
                .. Common(),
            ]
        ),
        new("/customers/{customerId}/reactivate", [Reason(required: true), Occurred()]),
        // Last: its valid body erases the customer's personal data, which later personal fields would meet.
        new("/customers/{customerId}/erase", [Reason(required: true)]),
    ];

    /// <summary>The command routes only an <c>admin</c> key may call; every other one takes a <c>recorder</c>.</summary>
    public static bool NeedsAdmin(string path) => path.EndsWith("/erase", StringComparison.Ordinal);

    private static FieldShape Id(string name, bool required, string valid) =>
        new(name, FieldKind.Text, required, valid, 64);

    private static FieldShape Name(string name, bool required, string valid) =>
        new(name, FieldKind.Text, required, valid, 200);

    private static FieldShape Choice(string name, bool required, string valid) =>
        new(name, FieldKind.Choice, required, valid);

    private static FieldShape Amount(string name, bool required, decimal valid) =>
        new(name, FieldKind.Amount, required, valid);

    private static FieldShape Reason(bool required) =>
        new("reason", FieldKind.Text, required, "Agreed with the customer", required ? 1000 : null);

    /// <summary>Business time is left out of the valid body (it defaults to now) but is a field to get wrong.</summary>
    private static FieldShape Occurred() => new("occurredAt", FieldKind.Instant, false, null);

    private static FieldShape[] Common() => [Occurred(), Reason(required: false)];
}
