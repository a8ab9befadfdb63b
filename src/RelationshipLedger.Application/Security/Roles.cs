namespace RelationshipLedger.Application.Security;

/// <summary>The roles of shared/design.md §5. An auditor can also do what a reader can.</summary>
public static class Roles
{
    public const string Recorder = "recorder";
    public const string Reader = "reader";
    public const string Auditor = "auditor";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Recorder, Reader, Auditor, Admin];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);

    /// <summary>The roles a key holding <paramref name="granted"/> acts with.</summary>
    public static IReadOnlyList<string> Effective(IEnumerable<string> granted)
    {
        var roles = new HashSet<string>(granted, StringComparer.Ordinal);
        if (roles.Contains(Auditor))
            roles.Add(Reader);
        return [.. roles.Order(StringComparer.Ordinal)];
    }
}
