using System.CommandLine;
using Npgsql;
using RelationshipLedger.Application.Security;
using Spectre.Console;

namespace RelationshipLedger.Cli.Commands;

/// <summary>
/// <c>ledger keys create NAME --roles r1,r2 | list | revoke NAME</c>: the API keys (docs/security.md). The
/// database keeps only each key's SHA-256, so <c>create</c> prints the key once, to standard output alone
/// (for <c>KEY=$(ledger keys create ...)</c>); <c>list</c> shows names, roles and dates, never a key or a hash.
/// </summary>
internal static class KeysCommand
{
    private static readonly Argument<string> NameArgument = new("name")
    {
        Description = $"The key's name: who uses it; the actor of what it records. {KeyName.Rule}.",
    };

    private static readonly Option<string> RolesOption = new("--roles")
    {
        Description = $"Comma-separated roles: {string.Join(", ", Roles.All)}.",
        HelpName = "roles",
        Required = true,
    };

    public static Command Create()
    {
        var create = new Command("create", "Create a key with roles and print it: the only time it is shown.")
        {
            NameArgument,
            RolesOption,
        };
        create.SetAction(CreateAsync);
        var list = new Command("list", "Every key: name, roles, created, revoked. Never the keys or their hashes.");
        list.SetAction(ListAsync);
        var revoke = new Command("revoke", "Revoke a key: from now on the API answers it 401.") { NameArgument };
        revoke.SetAction(RevokeAsync);
        return new Command("keys", "The API keys: create one for a role, list them, revoke one.")
        {
            create,
            list,
            revoke,
        };
    }

    private static async Task<int> CreateAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var name = KeyName.Parse(parseResult.GetValue(NameArgument));
        var roles = ParseRoles(parseResult.GetValue(RolesOption));
        await using var connection = await LedgerConnection.OpenAsync(parseResult, cancellationToken);
        string key;
        try
        {
            key = await new ApiKeyStore(connection.DataSource, null).CreateAsync(name, roles, cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new UsageException(
                $"There is already a key named '{name}' (a revoked key keeps its name): choose another name."
            );
        }
        Output.Results.WriteLine(key);
        Output.Errors.MarkupLine(
            $"Created key '{Markup.Escape(name)}' with roles {Markup.Escape(string.Join(", ", roles))}. "
                + "It is shown only now: the ledger keeps only its SHA-256."
        );
        return ExitCodes.Success;
    }

    private static async Task<int> ListAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        await using var connection = await LedgerConnection.OpenAsync(parseResult, cancellationToken);
        var keys = await new ApiKeyStore(connection.DataSource, null).ListAsync(cancellationToken);
        var table = new Table()
            .AddColumn("Name")
            .AddColumn("Roles")
            .AddColumn("Created (UTC)")
            .AddColumn("Revoked (UTC)");
        foreach (var key in keys)
            table.AddRow(
                Markup.Escape(key.Name),
                Markup.Escape(string.Join(",", key.Roles)),
                Format(key.CreatedAt),
                key.RevokedAt is { } revoked ? Format(revoked) : "-"
            );
        Output.Results.Write(table);
        Output.Results.MarkupLine($"{keys.Count:N0} key(s), {keys.Count(k => k.RevokedAt is null):N0} active.");
        return ExitCodes.Success;
    }

    private static async Task<int> RevokeAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var name = parseResult.GetValue(NameArgument) ?? "";
        await using var connection = await LedgerConnection.OpenAsync(parseResult, cancellationToken);
        var store = new ApiKeyStore(connection.DataSource, null);
        if (await store.RevokeAsync(name, cancellationToken))
        {
            Output.Results.MarkupLine($"Revoked key '{Markup.Escape(name)}': the API now answers it 401.");
            return ExitCodes.Success;
        }
        var known = (await store.ListAsync(cancellationToken)).FirstOrDefault(k => k.Name == name);
        Output.Error(
            known?.RevokedAt is { } revokedAt
                ? $"The key '{name}' was already revoked at {Format(revokedAt)} UTC."
                : $"There is no key named '{name}'. 'ledger keys list' shows the keys there are."
        );
        return ExitCodes.NotFound;
    }

    /// <summary>The roles of <c>--roles</c>: at least one, each known, each once.</summary>
    private static string[] ParseRoles(string? text)
    {
        var roles = (text ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        if (roles.Length == 0)
            throw new UsageException($"--roles needs at least one role: {string.Join(", ", Roles.All)}.");
        var unknown = roles.Where(role => !Roles.IsKnown(role)).ToArray();
        if (unknown.Length > 0)
            throw new UsageException(
                $"Unknown role(s) {string.Join(", ", unknown.Select(r => $"'{r}'"))}: the roles are {string.Join(", ", Roles.All)}."
            );
        return roles;
    }

    private static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}
