using System.Text.RegularExpressions;

namespace RelationshipLedger.EventStore.Projections;

/// <summary>The rules for projection and table names, and the map of a projection's tables to the live ones.</summary>
public static partial class ProjectionTables
{
    /// <summary>The schema every projection's live tables are in.</summary>
    public const string Schema = "ledger";

    /// <summary>At most this long, so a rebuild can add a suffix within PostgreSQL's 63 bytes.</summary>
    public const int MaxTableNameLength = 50;

    /// <summary>Each of <paramref name="projection"/>'s tables mapped to itself in schema <c>ledger</c>.</summary>
    public static IReadOnlyDictionary<string, string> Live(IAsyncProjection projection) =>
        Map(projection, table => QualifiedName(Schema, table));

    /// <summary>
    /// Each of <paramref name="projection"/>'s tables mapped to <paramref name="sqlName"/> of it, e.g.
    /// <c>t =&gt; QualifiedName("ledger", t + "_shadow")</c> for a rebuild.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Map(IAsyncProjection projection, Func<string, string> sqlName)
    {
        ArgumentNullException.ThrowIfNull(projection);
        ArgumentNullException.ThrowIfNull(sqlName);
        Validate(projection);
        return projection.Tables.ToDictionary(table => table, sqlName, StringComparer.Ordinal);
    }

    /// <summary><c>"schema"."table"</c>, quoted.</summary>
    public static string QualifiedName(string schema, string table) =>
        $"{LedgerDatabase.QuoteIdentifier(schema)}.{LedgerDatabase.QuoteIdentifier(table)}";

    /// <summary>Throws when the projection's name or one of its table names breaks the rules above.</summary>
    public static void Validate(IAsyncProjection projection)
    {
        ArgumentNullException.ThrowIfNull(projection);
        if (!ProjectionNames.IsValid(projection.Name))
            throw new ArgumentException(
                $"'{projection.Name}' is not a valid projection name: 1–{ProjectionNames.MaxLength} characters of [a-z0-9_].",
                nameof(projection)
            );
        foreach (var table in projection.Tables)
            if (table.Length > MaxTableNameLength || !Identifier().IsMatch(table))
                throw new ArgumentException(
                    $"Projection '{projection.Name}' declares table '{table}': a table name is 1–{MaxTableNameLength} characters of [a-z0-9_], unqualified.",
                    nameof(projection)
                );
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    internal static partial Regex Identifier();
}

/// <summary>What a projection may be called.</summary>
public static class ProjectionNames
{
    public const int MaxLength = 63;

    public static bool IsValid(string? name) =>
        name is { Length: > 0 and <= MaxLength } && ProjectionTables.Identifier().IsMatch(name);
}
