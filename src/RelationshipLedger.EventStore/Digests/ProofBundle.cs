using System.Security.Cryptography;
using System.Text.Json;
using RelationshipLedger.EventStore.Integrity;

namespace RelationshipLedger.EventStore.Digests;

/// <summary>
/// One stream's proof, checkable offline without a database (format <see cref="CurrentFormat"/>, docs/digests.md):
/// its events as stored (what the hash chain covers), the signed statement of a digest, and the proof that
/// the stream's head at the digest is a leaf under the digest's root.
/// <para>
/// Every byte counts: the file must be exactly this record's serialization (<see cref="ToJson"/>), so a change
/// that does not alter the meaning (white space, an escape, a letter's case) is refused as not canonical,
/// and any change of meaning breaks the chain, the inclusion proof or the signature.
/// </para>
/// </summary>
public sealed record ProofBundle(
    string Format,
    string StreamId,
    IReadOnlyList<ProofBundle.BundledEvent> Events,
    SignedDigest Digest,
    ProofBundle.Inclusion Included
)
{
    public const string CurrentFormat = "relationship-ledger-bundle-v1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>An event as the chain hashes it: data and metadata are PostgreSQL's jsonb text, verbatim.</summary>
    public sealed record BundledEvent(
        long Version,
        string Type,
        DateTimeOffset OccurredAt,
        DateTimeOffset RecordedAt,
        string Data,
        string Metadata,
        string Hash
    );

    /// <summary>The stream's head as the digest saw it, its leaf's place among the digest's leaves, and the sibling hashes up to the root.</summary>
    public sealed record Inclusion(long HeadVersion, string HeadHash, long Index, IReadOnlyList<string> Proof);

    /// <summary>
    /// The bundle of <paramref name="streamId"/>: its <paramref name="events"/> (at least up to the digest's head),
    /// <paramref name="digest"/> signed (its heads are left out: the proof replaces them) and the inclusion proof
    /// from all the digest's <paramref name="heads"/>.
    /// </summary>
    public static ProofBundle Create(
        string streamId,
        IReadOnlyList<RecordedEvent> events,
        SignedDigest digest,
        IReadOnlyList<StreamHead> heads
    )
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(digest);
        ArgumentNullException.ThrowIfNull(heads);
        var index = heads.Select((h, i) => (h, i)).Single(x => x.h.StreamId == streamId).i;
        var head = heads[index];
        var proof = MerkleTree.InclusionProof([.. heads.Select(MerkleTree.LeafHash)], index);
        return new ProofBundle(
            CurrentFormat,
            streamId,
            [
                .. events.Select(e => new BundledEvent(
                    e.Version,
                    e.Type,
                    e.OccurredAt.ToUniversalTime(),
                    e.RecordedAt.ToUniversalTime(),
                    e.Data,
                    e.Metadata,
                    Convert.ToHexStringLower(e.Hash.Span)
                )),
            ],
            digest with
            {
                Heads = [],
            },
            new Inclusion(
                head.Version,
                Convert.ToHexStringLower(head.Hash),
                index,
                [.. proof.Select(Convert.ToHexStringLower)]
            )
        );
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>
    /// Checks the bundle in <paramref name="text"/> offline: the bundle when it proves its stream, else null and why not.
    /// The signature is checked against <paramref name="trustedPublicKey"/> when given.
    /// </summary>
    public static (ProofBundle? Bundle, string? Problem) Verify(string text, ECDsa? trustedPublicKey)
    {
        ArgumentNullException.ThrowIfNull(text);
        ProofBundle bundle;
        try
        {
            bundle = JsonSerializer.Deserialize<ProofBundle>(text, Json) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            return (null, $"it is not a proof bundle ({e.Message})");
        }
        if (bundle.ToJson() != text)
            return (null, "it is not in its canonical form: some byte was changed");
        return bundle.Problem(trustedPublicKey) is { } problem ? (null, problem) : (bundle, null);
    }

    private string? Problem(ECDsa? trustedPublicKey)
    {
        if (Format != CurrentFormat)
            return $"the bundle's format is '{Format}', not '{CurrentFormat}'";
        if (ChainProblem() is { } chain)
            return chain;
        var head = Events.FirstOrDefault(e => e.Version == Included.HeadVersion);
        if (head is null || head.Hash != Included.HeadHash)
            return $"the stream's events do not reach the head the digest saw (version {Included.HeadVersion})";
        var leaf = MerkleTree.LeafHash(
            new StreamHead(StreamId, Included.HeadVersion, Convert.FromHexString(head.Hash))
        );
        if (Hashes(Included.Proof) is not { } proof || Hashes([Digest.Root]) is not [var root])
            return "the inclusion proof or the digest's root is not a list of SHA-256 hashes";
        if (!MerkleTree.VerifyInclusion(leaf, Included.Index, Digest.Streams, proof, root))
            return "the stream's head is not included under the digest's root";
        return Digest.SignatureProblem(trustedPublicKey);
    }

    /// <summary>The chain recomputed from version 1: every hash as stored, every instant a whole microsecond in UTC.</summary>
    private string? ChainProblem()
    {
        var previous = Array.Empty<byte>();
        for (var i = 0; i < Events.Count; i++)
        {
            var e = Events[i];
            if (e.Version != i + 1)
                return $"version {i + 1} is missing from the bundle";
            if (!IsStoredInstant(e.OccurredAt) || !IsStoredInstant(e.RecordedAt))
                return $"version {e.Version} has an instant PostgreSQL could not have stored";
            var recorded = new RecordedEvent(
                GlobalPosition.Start,
                Guid.Empty,
                StreamId,
                e.Version,
                e.Type,
                e.Data,
                e.Metadata,
                e.OccurredAt,
                e.RecordedAt,
                Array.Empty<byte>()
            );
            var hash = CanonicalEvent.Hash(previous, recorded);
            if (Convert.ToHexStringLower(hash) != e.Hash)
                return $"version {e.Version} does not match its hash: the bundle's events were altered";
            previous = hash;
        }
        return null;
    }

    private static bool IsStoredInstant(DateTimeOffset instant) =>
        instant.Offset == TimeSpan.Zero && instant.Ticks % TimeSpan.TicksPerMicrosecond == 0;

    /// <summary>The hashes in <paramref name="hex"/>, or null when one is not 32 bytes of hex.</summary>
    private static byte[][]? Hashes(IReadOnlyList<string> hex)
    {
        try
        {
            return [.. hex.Select(h => h.Length == 64 ? Convert.FromHexString(h) : throw new FormatException())];
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
