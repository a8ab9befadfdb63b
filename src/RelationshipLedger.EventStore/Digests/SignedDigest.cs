using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RelationshipLedger.EventStore.Digests;

/// <summary>
/// A digest as exported to a file kept outside the database (format <see cref="Format"/>): the digest,
/// every head under its root, and an ECDSA P-256 / SHA-256 signature over <see cref="Statement"/>. The heads
/// are bound by the root, which the statement names, so the signature covers them too.
/// </summary>
public sealed record SignedDigest(
    string Format,
    long Id,
    DateTimeOffset TakenAt,
    string Position,
    long Streams,
    long Events,
    string Root,
    IReadOnlyList<SignedDigest.Head> Heads,
    SignedDigest.DigestSignature Signature
)
{
    public const string CurrentFormat = "relationship-ledger-digest-v1";

    public const string Algorithm = "ECDSA-P256-SHA256";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>A head in the file: hash as lowercase hex.</summary>
    public sealed record Head(string StreamId, long Version, string Hash);

    /// <summary>The signature (IEEE P1363 r ‖ s, base64) and the signer's public key (SubjectPublicKeyInfo, base64).</summary>
    public sealed record DigestSignature(string Algorithm, string PublicKey, string Value);

    /// <summary>Signs <paramref name="digest"/> and its <paramref name="heads"/> with <paramref name="key"/> (a P-256 private key).</summary>
    public static SignedDigest Sign(LedgerDigest digest, IReadOnlyList<StreamHead> heads, ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(digest);
        ArgumentNullException.ThrowIfNull(heads);
        ArgumentNullException.ThrowIfNull(key);
        if (key.KeySize != 256)
            throw new ArgumentException("A digest is signed with a P-256 key.", nameof(key));
        var unsigned = new SignedDigest(
            CurrentFormat,
            digest.Id,
            digest.TakenAt.ToUniversalTime(),
            digest.Position.ToString(),
            digest.Streams,
            digest.Events,
            Convert.ToHexStringLower(digest.Root),
            [.. heads.Select(h => new Head(h.StreamId, h.Version, Convert.ToHexStringLower(h.Hash)))],
            new DigestSignature(Algorithm, "", "")
        );
        var signature = key.SignData(unsigned.Statement(), HashAlgorithmName.SHA256);
        return unsigned with
        {
            Signature = new DigestSignature(
                Algorithm,
                Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()),
                Convert.ToBase64String(signature)
            ),
        };
    }

    /// <summary>
    /// The signed bytes: the format, id, instant, position, counts and root, one per line, in UTF-8.
    /// Fixed text rather than JSON, so that no serializer's choices change what was signed.
    /// </summary>
    public byte[] Statement() =>
        Encoding.UTF8.GetBytes(
            string.Create(
                CultureInfo.InvariantCulture,
                $"{Format}\nid: {Id}\ntaken-at: {TakenAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss.ffffffZ}\nposition: {Position}\nstreams: {Streams}\nevents: {Events}\nroot: {Root}\n"
            )
        );

    /// <summary>
    /// Why this file cannot be trusted, or null when it can: the heads' order, counts and root, and the
    /// signature (<see cref="SignatureProblem"/>).
    /// </summary>
    public string? Problem(ECDsa? trustedPublicKey)
    {
        if (Heads.Count != Streams || Heads.Sum(h => h.Version) != Events)
            return "the heads do not add up to the digest's stream and event counts";
        if (StreamHeads() is not { } heads)
            return "the heads are not in stream id order, repeat a stream or have a malformed hash";
        if (Convert.ToHexStringLower(MerkleTree.Root([.. heads.Select(MerkleTree.LeafHash)])) != Root)
            return "the heads do not hash to the digest's root";
        return SignatureProblem(trustedPublicKey);
    }

    /// <summary>
    /// Why the signed statement cannot be trusted, or null: the format, the position, and the signature — by
    /// <paramref name="trustedPublicKey"/> when given (another signer fails), else by the key the file names.
    /// </summary>
    public string? SignatureProblem(ECDsa? trustedPublicKey)
    {
        if (Format != CurrentFormat)
            return $"the digest's format is '{Format}', not '{CurrentFormat}'";
        if (Signature.Algorithm != Algorithm)
            return $"the signature's algorithm is '{Signature.Algorithm}', not '{Algorithm}'";
        if (!GlobalPosition.TryParse(Position, out _))
            return $"the position '{Position}' is not a log position";
        try
        {
            using var embedded = ECDsa.Create();
            embedded.ImportSubjectPublicKeyInfo(Convert.FromBase64String(Signature.PublicKey), out _);
            if (
                trustedPublicKey is not null
                && !trustedPublicKey
                    .ExportSubjectPublicKeyInfo()
                    .AsSpan()
                    .SequenceEqual(embedded.ExportSubjectPublicKeyInfo())
            )
                return "the digest was signed by another key than the trusted one";
            return embedded.VerifyData(Statement(), Convert.FromBase64String(Signature.Value), HashAlgorithmName.SHA256)
                ? null
                : "the signature does not match the digest";
        }
        catch (Exception e) when (e is FormatException or CryptographicException or PlatformNotSupportedException)
        {
            return $"the signature or its public key cannot be read ({e.Message})";
        }
    }

    /// <summary>The heads as the tree takes them, or null when they are out of order, repeated or malformed.</summary>
    public IReadOnlyList<StreamHead>? StreamHeads()
    {
        var heads = new List<StreamHead>(Heads.Count);
        foreach (var head in Heads)
        {
            if (head.StreamId is null || head.Hash is not { Length: 64 } hex || head.Version < 1)
                return null;
            byte[] hash;
            try
            {
                hash = Convert.FromHexString(hex);
            }
            catch (FormatException)
            {
                return null;
            }
            var streamHead = new StreamHead(head.StreamId, head.Version, hash);
            if (heads.Count > 0 && StreamHead.ByStreamId.Compare(heads[^1], streamHead) >= 0)
                return null;
            heads.Add(streamHead);
        }
        return heads;
    }

    /// <summary>The fingerprint of the signer's key: SHA-256 of its SubjectPublicKeyInfo, hex, as <c>ledger digest keygen</c> prints it.</summary>
    public static string Fingerprint(byte[] subjectPublicKeyInfo) =>
        Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo));

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The digest in <paramref name="json"/>; a <see cref="JsonException"/> when it is not one.</summary>
    public static SignedDigest FromJson(string json) =>
        JsonSerializer.Deserialize<SignedDigest>(json, Json) ?? throw new JsonException("The digest file is empty.");
}
