namespace RelationshipLedger.Application.Feed;

/// <summary>
/// The <c>types</c> of the feed and the export: stored event type names, comma-separated (and/or
/// repeated), matched exactly. No names means every type; a name the ledger does not write is an
/// error, since a misspelt filter would otherwise silently match nothing.
/// </summary>
public sealed record EventTypeSelection(IReadOnlyCollection<string>? Types, IReadOnlyList<string> Unknown)
{
    public static EventTypeSelection Everything { get; } = new(null, []);

    public bool IsValid => Unknown.Count == 0;

    /// <summary>The names a filter may use, for messages.</summary>
    public static string KnownNames => string.Join(", ", LedgerEventTypes.Names.Order(StringComparer.Ordinal));

    public static EventTypeSelection Parse(IEnumerable<string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var names = values
            .SelectMany(value =>
                (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            )
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        var unknown = names.Where(name => !LedgerEventTypes.Names.Contains(name)).ToArray();
        return new EventTypeSelection(names.Length == 0 ? null : names, unknown);
    }
}
