using System.Text.RegularExpressions;
using RelationshipLedger.Application.Security;

namespace RelationshipLedger.Cli.Commands;

/// <summary>
/// A key's name becomes the actor of every event the key records, so it is short and plain; "bootstrap" is
/// the name of the configured bootstrap key and cannot be taken.
/// </summary>
internal static partial class KeyName
{
    public const string Rule = "1-64 characters of letters, digits, '.', '_' and '-'";

    public static string Parse(string? name)
    {
        if (name is null || !Pattern().IsMatch(name))
            throw new UsageException($"'{name}' is not a key name: a key name is {Rule}.");
        if (name == ApiKeyStore.BootstrapName)
            throw new UsageException(
                $"'{name}' is the name of the bootstrap key (LEDGER_BOOTSTRAP_KEY): choose another."
            );
        return name;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex Pattern();
}
