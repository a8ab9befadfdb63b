using System.Diagnostics.CodeAnalysis;

namespace RelationshipLedger.Application.Customers;

/// <summary>A customer's id, which is its stream id: 1–64 characters of <c>[A-Za-z0-9._-]</c>.</summary>
public static class CustomerId
{
    public const int MaxLength = 64;
    public const string StreamType = "customer";
    public const string Rule = "1–64 characters of letters, digits, '.', '_' and '-'";

    public static bool IsValid([NotNullWhen(true)] string? id) =>
        id is { Length: > 0 and <= MaxLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
