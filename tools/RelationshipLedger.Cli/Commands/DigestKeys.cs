using System.CommandLine;
using System.Security.Cryptography;

namespace RelationshipLedger.Cli.Commands;

/// <summary>
/// The keys of exported digests (docs/digests.md): a P-256 private key that signs, and its public key that a
/// verifier pins. PEM files, named by an option or else by an environment variable.
/// </summary>
internal static class DigestKeys
{
    public const string SigningKeyVariable = "LEDGER_DIGEST_SIGNING_KEY";

    public const string PublicKeyVariable = "LEDGER_DIGEST_PUBLIC_KEY";

    /// <summary><c>--signing-key FILE</c>, for the commands that sign.</summary>
    public static Option<string?> SigningKeyOption() =>
        new("--signing-key")
        {
            Description = $"PEM file of the P-256 private key that signs the digest. Default: ${SigningKeyVariable}.",
            HelpName = "file",
        };

    /// <summary><c>--public-key FILE</c>, for the commands that verify.</summary>
    public static Option<string?> PublicKeyOption() =>
        new("--public-key")
        {
            Description = $"PEM file of the public key the digest must be signed by. Default: ${PublicKeyVariable}.",
            HelpName = "file",
        };

    /// <summary>What to say when the digest asked for does not exist.</summary>
    public static string NoDigest(long? id) =>
        id is null
            ? "No digest has been taken yet: take one with 'ledger digest take', --take or POST /ledger/digests."
            : $"There is no digest {id}.";

    /// <summary>The signing key from <paramref name="path"/>, else ${SigningKeyVariable}; a usage error without one.</summary>
    public static ECDsa LoadSigningKey(string? path)
    {
        path ??= Environment.GetEnvironmentVariable(SigningKeyVariable);
        if (string.IsNullOrEmpty(path))
            throw new UsageException(
                $"A digest is signed: give --signing-key FILE or set {SigningKeyVariable} (create a key with 'ledger digest keygen FILE')."
            );
        var key = Load(path, "signing key");
        try
        {
            key.ExportParameters(includePrivateParameters: true);
        }
        catch (CryptographicException)
        {
            key.Dispose();
            throw new UsageException($"'{path}' holds a public key; signing needs the private key.");
        }
        return key;
    }

    /// <summary>The pinned public key from <paramref name="path"/>, else ${PublicKeyVariable}; null when neither names one.</summary>
    public static ECDsa? LoadPublicKey(string? path)
    {
        path ??= Environment.GetEnvironmentVariable(PublicKeyVariable);
        return string.IsNullOrEmpty(path) ? null : Load(path, "public key");
    }

    /// <summary>Who signed, as the verifying commands print it: pinned or not, with the key's fingerprint.</summary>
    public static string SignerLine(string publicKeyBase64, bool pinned)
    {
        var fingerprint = EventStore.Digests.SignedDigest.Fingerprint(Convert.FromBase64String(publicKeyBase64));
        return pinned
            ? $"Signed by the trusted key {fingerprint}."
            : $"[yellow]Signed by key {fingerprint}, which was not pinned:[/] give --public-key to check who signed.";
    }

    private static ECDsa Load(string path, string what)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot read the {what} '{path}': {e.Message}");
        }
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new UsageException($"'{path}' is not a PEM EC key: {e.Message}");
        }
        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new UsageException($"'{path}' is a {key.KeySize}-bit key; digests use P-256.");
        }
        return key;
    }
}
