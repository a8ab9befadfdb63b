using RelationshipLedger.Domain.Customers;
using RelationshipLedger.EventStore.Protection;
using static RelationshipLedger.Domain.Customers.CustomerEvent;

namespace RelationshipLedger.Application.Erasure;

/// <summary>
/// The personal fields of the customer events, stored encrypted with the customer's key
/// (docs/erasure.md): names, address, contact person, phone, email, birthday, preferences, and the
/// free texts a person may have written or be described in (contact notes, complaint descriptions and
/// resolutions, survey comments, the notes of an end). Business facts — amounts, tiers, stages, owners,
/// reasons for decisions — stay in the clear. A required text reads as <see cref="PersonalData.Erased"/>
/// once erased; an optional one the same; the birthday, a date, reads as null.
/// </summary>
public static class PersonalFields
{
    public static PayloadProtection CreateProtection() =>
        new(
            new Dictionary<string, IReadOnlyList<ProtectedField>>(StringComparer.Ordinal)
            {
                [Name<CustomerRegistered>()] = [Text("name")],
                [Name<CustomerProfileUpdated>()] =
                [
                    Text("changes", "name"),
                    Text("changes", "address"),
                    Text("changes", "contactPerson"),
                    Text("changes", "phone"),
                    Text("changes", "email"),
                    new(["changes", "birthday"], ErasedValue: null),
                    Text("changes", "preferences"),
                ],
                [Name<ContactRecorded>()] = [Text("notes")],
                [Name<ComplaintFiled>()] = [Text("description")],
                [Name<ComplaintResolved>()] = [Text("resolution")],
                [Name<SatisfactionSurveyed>()] = [Text("comment")],
                [Name<RelationshipEnded>()] = [Text("notes")],
            }
        );

    private static ProtectedField Text(params string[] path) => new(path, PersonalData.Erased);

    private static string Name<TEvent>()
        where TEvent : CustomerEvent => CustomerEvent.TypeNames[typeof(TEvent)];
}
