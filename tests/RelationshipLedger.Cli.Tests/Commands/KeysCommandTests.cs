using System.Security.Cryptography;
using System.Text;
using RelationshipLedger.Application.Security;
using RelationshipLedger.Cli.Tests.Support;

namespace RelationshipLedger.Cli.Tests.Commands;

/// <summary>
/// <c>ledger keys</c>: a created key is printed once and authenticates with its roles; the database and
/// <c>list</c> never show it or its hash; a revoked key no longer authenticates; bad names and roles are usage errors.
/// </summary>
public sealed class KeysCommandTests : IAsyncLifetime
{
    private readonly CliLedger _ledger = new();

    public Task InitializeAsync() => _ledger.InitializeAsync();

    public Task DisposeAsync() => _ledger.DisposeAsync();

    [Fact]
    public async Task A_created_key_is_printed_once_and_authenticates_with_its_roles()
    {
        var result = await _ledger.RunAsync("keys", "create", "order-desk", "--roles", "recorder,auditor");

        result.AssertExitCode(ExitCodes.Success).AssertErrorsContain("shown only now");
        var key = result.Output.Trim();
        Assert.StartsWith("rlk_", key, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', key);
        var principal = await Store().AuthenticateAsync(key);
        Assert.NotNull(principal);
        Assert.Equal("order-desk", principal.Name);
        Assert.Equal([Roles.Auditor, Roles.Reader, Roles.Recorder], principal.Roles);
    }

    [Fact]
    public async Task The_database_keeps_only_the_keys_hash()
    {
        var key = (await _ledger.RunAsync("keys", "create", "portal", "--roles", "reader")).Output.Trim();

        await using var command = _ledger.Database.DataSource.CreateCommand(
            "select key_hash, roles from ledger.api_keys where name = 'portal'"
        );
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(key)), reader.GetFieldValue<byte[]>(0));
        Assert.Equal(["reader"], reader.GetFieldValue<string[]>(1));
    }

    [Fact]
    public async Task List_shows_names_roles_and_revocations_but_never_a_key_or_its_hash()
    {
        var active = (await _ledger.RunAsync("keys", "create", "dashboard", "--roles", "reader")).Output.Trim();
        var departed = (await _ledger.RunAsync("keys", "create", "old-desk", "--roles", "recorder")).Output.Trim();
        (await _ledger.RunAsync("keys", "revoke", "old-desk")).AssertExitCode(ExitCodes.Success);

        var result = await _ledger.RunAsync("keys", "list");

        result.AssertExitCode(ExitCodes.Success).AssertOutputContains("2 key(s), 1 active.");
        var table = ConsoleTable.In(result.Output);
        Assert.Equal(["dashboard", "old-desk"], table.Column("Name"));
        Assert.Equal(["reader", "recorder"], table.Column("Roles"));
        Assert.Equal("-", table.Column("Revoked (UTC)")[0]);
        Assert.NotEqual("-", table.Column("Revoked (UTC)")[1]);
        foreach (var key in new[] { active, departed })
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
            foreach (var secret in new[] { key, key[4..], Convert.ToHexString(hash), Convert.ToBase64String(hash) })
            {
                Assert.DoesNotContain(secret, result.Output, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(secret, result.Errors, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public async Task A_revoked_key_no_longer_authenticates()
    {
        var key = (await _ledger.RunAsync("keys", "create", "leaver", "--roles", "recorder")).Output.Trim();
        Assert.NotNull(await Store().AuthenticateAsync(key));

        var result = await _ledger.RunAsync("keys", "revoke", "leaver");

        result.AssertExitCode(ExitCodes.Success).AssertOutputContains("Revoked key 'leaver'");
        Assert.Null(await Store().AuthenticateAsync(key));
    }

    [Fact]
    public async Task Revoking_an_unknown_key_is_an_error_with_a_non_zero_exit()
    {
        var result = await _ledger.RunAsync("keys", "revoke", "nobody");

        result
            .AssertExitCode(ExitCodes.NotFound)
            .AssertErrorsContain("There is no key named 'nobody'")
            .AssertNoStackTrace();
    }

    [Fact]
    public async Task Revoking_a_key_twice_says_when_it_was_revoked()
    {
        await _ledger.RunAsync("keys", "create", "twice", "--roles", "reader");
        (await _ledger.RunAsync("keys", "revoke", "twice")).AssertExitCode(ExitCodes.Success);

        var result = await _ledger.RunAsync("keys", "revoke", "twice");

        result.AssertExitCode(ExitCodes.NotFound).AssertErrorsContain("was already revoked at");
    }

    [Theory]
    [InlineData("superuser", "Unknown role(s) 'superuser'")]
    [InlineData("reader,Admin", "Unknown role(s) 'Admin'")]
    [InlineData(",", "--roles needs at least one role")]
    public async Task Unknown_roles_are_rejected_and_no_key_is_created(string roles, string message)
    {
        var result = await _ledger.RunAsync("keys", "create", "hopeful", "--roles", roles);

        result.AssertExitCode(ExitCodes.Usage).AssertErrorsContain(message).AssertNoStackTrace();
        Assert.Empty(result.Output.Trim());
        Assert.Empty(await Store().ListAsync());
    }

    [Theory]
    [InlineData("has space", "is not a key name")]
    [InlineData("bootstrap", "is the name of the bootstrap key")]
    public async Task Bad_names_are_rejected(string name, string message)
    {
        var result = await _ledger.RunAsync("keys", "create", name, "--roles", "reader");

        result.AssertExitCode(ExitCodes.Usage).AssertErrorsContain(message);
        Assert.Empty(await Store().ListAsync());
    }

    [Fact]
    public async Task A_name_already_taken_is_rejected_and_the_first_key_still_works()
    {
        var first = (await _ledger.RunAsync("keys", "create", "desk", "--roles", "reader")).Output.Trim();

        var result = await _ledger.RunAsync("keys", "create", "desk", "--roles", "admin");

        result.AssertExitCode(ExitCodes.Usage).AssertErrorsContain("already a key named 'desk'").AssertNoStackTrace();
        Assert.Equal([Roles.Reader], (await Store().AuthenticateAsync(first))!.Roles);
    }

    [Fact]
    public async Task Create_without_roles_is_a_usage_error()
    {
        var result = await _ledger.RunAsync("keys", "create", "no-roles");

        result.AssertExitCode(ExitCodes.Usage).AssertErrorsContain("--roles");
    }

    private ApiKeyStore Store() => new(_ledger.Database.DataSource, null);
}
