namespace RelationshipLedger.Domain.Customers;

/// <summary>
/// What a customer's personal data reads as once erased (docs/erasure.md): every personal text is
/// <see cref="Erased"/>, the birthday is absent. The ledger stores personal fields encrypted with the
/// customer's key; erasing destroys the key, so the events read this way too, and
/// <see cref="CustomerEvent.PersonalDataErased"/> makes every state folded past it agree.
/// </summary>
public static class PersonalData
{
    public const string Erased = "[erased]";

    /// <summary><paramref name="state"/> with its name and profile erased; its business facts untouched.</summary>
    public static CustomerState Erase(CustomerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var profile = state.Profile;
        return state with
        {
            Name = Mask(state.Name) ?? "",
            Profile = new CustomerProfile(
                Mask(profile.Address),
                Mask(profile.ContactPerson),
                Mask(profile.Phone),
                Mask(profile.Email),
                Birthday: null,
                Mask(profile.Preferences)
            ),
        };
    }

    private static string? Mask(string? value) => string.IsNullOrEmpty(value) ? value : Erased;
}
