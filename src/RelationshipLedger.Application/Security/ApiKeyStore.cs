using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace RelationshipLedger.Application.Security;

/// <summary>Who a presented key belongs to and what it may do.</summary>
public sealed record ApiKeyPrincipal(string Name, IReadOnlyList<string> Roles);

public sealed record ApiKeyInfo(
    string Name,
    IReadOnlyList<string> Roles,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt
);

/// <summary>
/// API keys kept as SHA-256 hashes: a key is 256 random bits, so a fast hash is as strong as a
/// slow one and keeps every request cheap. The bootstrap key (configuration) has every role.
/// </summary>
public sealed class ApiKeyStore(NpgsqlDataSource dataSource, string? bootstrapKey)
{
    public const string BootstrapName = "bootstrap";
    private const string KeyPrefix = "rlk_";

    private readonly byte[]? _bootstrapHash = bootstrapKey is { Length: > 0 } ? Hash(bootstrapKey) : null;

    /// <summary>Creates a key and returns it: the only time it can be seen.</summary>
    public async Task<string> CreateAsync(
        string name,
        IReadOnlyCollection<string> roles,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(roles);
        if (roles.Count == 0 || roles.Any(role => !Roles.IsKnown(role)))
            throw new ArgumentException($"Roles are one or more of {string.Join(", ", Roles.All)}.", nameof(roles));
        var key =
            KeyPrefix
            + Convert
                .ToBase64String(RandomNumberGenerator.GetBytes(32))
                .TrimEnd('=')
                .Replace('+', '-')
                .Replace('/', '_');
        await using var command = dataSource.CreateCommand(
            "insert into ledger.api_keys (name, key_hash, roles) values ($1, $2, $3)"
        );
        command.Parameters.Add(new() { Value = name, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = Hash(key), NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(
            new() { Value = roles.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text }
        );
        await command.ExecuteNonQueryAsync(cancellationToken);
        return key;
    }

    /// <summary>The principal of <paramref name="presentedKey"/>, or null when it is unknown or revoked.</summary>
    public async Task<ApiKeyPrincipal?> AuthenticateAsync(
        string presentedKey,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(presentedKey);
        var hash = Hash(presentedKey);
        if (_bootstrapHash is not null && CryptographicOperations.FixedTimeEquals(hash, _bootstrapHash))
            return new ApiKeyPrincipal(BootstrapName, Roles.All);
        await using var command = dataSource.CreateCommand(
            "select name, roles from ledger.api_keys where key_hash = $1 and revoked_at is null"
        );
        command.Parameters.Add(new() { Value = hash, NpgsqlDbType = NpgsqlDbType.Bytea });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        return new ApiKeyPrincipal(reader.GetString(0), Roles.Effective(reader.GetFieldValue<string[]>(1)));
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "select name, roles, created_at, revoked_at from ledger.api_keys order by name"
        );
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKeyInfo>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(
                new ApiKeyInfo(
                    reader.GetString(0),
                    reader.GetFieldValue<string[]>(1),
                    reader.GetFieldValue<DateTimeOffset>(2),
                    reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3)
                )
            );
        }
        return keys;
    }

    /// <summary>Revokes the key named <paramref name="name"/>; false when there is no such active key.</summary>
    public async Task<bool> RevokeAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "update ledger.api_keys set revoked_at = now() where name = $1 and revoked_at is null"
        );
        command.Parameters.Add(new() { Value = name, NpgsqlDbType = NpgsqlDbType.Text });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
